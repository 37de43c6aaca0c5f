package org.callbackkit.core.diagnose;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link StatusClassifier} concluded about one delivery attempt, in plain words.
 *
 * @param verdict what the attempt amounts to
 * @param firewall the firewall, WAF or CDN recognised in the answer ({@code Cloudflare}, {@code Sucuri},
 *     {@code Wordfence}, {@code ModSecurity}, {@code Imperva}, {@code Akamai}, {@code LiteSpeed}, or
 *     {@value #UNKNOWN_FIREWALL} when a block page was seen but not recognised); empty when none is involved
 * @param providerWillRetry whether the provider will deliver again on its own
 * @param retriesUntil when the provider's last attempt will be made, if it retries
 * @param summary one sentence for the operator
 * @param nextSteps what to do, in order
 * @param cause the id of the rule that decided, e.g. {@code cloudflare.1020} or {@code tls.self-signed}:
 *     stable, for machines and tests
 * @param evidence what the rules read off the answer, e.g. {@code rayId} or {@code ruleId}, in the order found
 */
public record Diagnosis(Verdict verdict, Optional<String> firewall, boolean providerWillRetry,
        Optional<Instant> retriesUntil, String summary, List<String> nextSteps, String cause,
        Map<String, String> evidence) {

    /** The firewall named when a block page was seen that no rule recognises. */
    public static final String UNKNOWN_FIREWALL = "unknown";

    /** @throws NullPointerException if a component is null */
    public Diagnosis {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(retriesUntil, "retriesUntil");
        Objects.requireNonNull(summary, "summary");
        nextSteps = List.copyOf(nextSteps);
        Objects.requireNonNull(cause, "cause");
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
