package org.callbackkit.doctor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.callbackkit.core.diagnose.Whitelist;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * What the doctor must know of one provider to look like it: the endpoints its module mounts (path,
 * methods, content types, retry schedule), the {@code User-Agent} it sends, whether it calls only
 * https URLs, the source addresses it publishes, which kinds a shop mounts only when it uses
 * them (a 404 there is a warning, not a failure), and its real requests of each kind, which the
 * doctor's probes send.
 *
 * @param name the provider's name as the modules journal it, e.g. {@code klarna}
 * @param userAgent the {@code User-Agent} of its callbacks
 * @param httpsRequired whether it calls live shops over https only
 * @param sourceIps the addresses it publishes for its callbacks, with where they were read;
 *        {@link Whitelist.SourceIps#unpublished()} when none are known
 * @param optionalKinds kinds a shop mounts only when it uses them
 * @param endpoints the endpoints its module mounts, in order; the first is the one the burst hits
 * @param samples its real requests of each kind, from its module's {@code .testing} request builder
 *        ({@code samples(kind)}), so probe and tests send the same; {@link Samples#none()} when unknown
 */
public record ProviderProfile(String name, String userAgent, boolean httpsRequired, Whitelist.SourceIps sourceIps,
        Set<String> optionalKinds, List<CallbackEndpoint> endpoints, Samples samples) {

    /**
     * A provider's real requests of one kind, with paths below the callback mount as its module
     * mounts them by default: method, query, headers and body, as the provider sends them.
     */
    @FunctionalInterface
    public interface Samples {
        /**
         * The requests of {@code kind} by name, in order (a kind may come in several shapes, e.g.
         * Blockonomics' BTC and USDT payments); empty when none is known.
         */
        Map<String, CallbackRequest> of(String kind);

        /** No samples: probes then send the endpoint's method and content type with an empty body ({@code {}} for JSON). */
        static Samples none() {
            return kind -> Map.of();
        }
    }

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there is no endpoint, or one belongs to another provider
     */
    public ProviderProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(sourceIps, "sourceIps");
        Objects.requireNonNull(samples, "samples");
        optionalKinds = Set.copyOf(optionalKinds);
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a provider profile needs its endpoints: " + name);
        }
        for (CallbackEndpoint endpoint : endpoints) {
            if (!endpoint.provider().equals(name)) {
                throw new IllegalArgumentException("endpoint " + endpoint.provider() + "/" + endpoint.kind()
                        + " is not " + name + "'s");
            }
        }
    }
}
