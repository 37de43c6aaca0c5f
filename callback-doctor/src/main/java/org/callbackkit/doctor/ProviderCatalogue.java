package org.callbackkit.doctor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.diagnose.Whitelist;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * The providers the doctor knows, by name. Each entry takes its endpoints from the provider's
 * module's own description ({@code describeEndpoints()}: paths, methods, content types, retry
 * schedules and authentication, read without building the module), so the doctor probes exactly
 * what the module mounts.
 * The probes send each module's own samples of its real requests ({@code samples(kind)} of its
 * {@code .testing} request builder), the builders its tests check against the provider's docs.
 * A new provider module is one more entry in {@link #standard()}. Immutable.
 */
public final class ProviderCatalogue {

    /**
     * Blockonomics' callback servers (BTC, then BCH). Its current docs no longer list them; the
     * source says so, for the operator to check.
     */
    static final Whitelist.SourceIps BLOCKONOMICS_IPS = new Whitelist.SourceIps(List.of("44.241.250.59", "44.225.81.126"),
            "an older Blockonomics help article; not found in its docs on 2026-12-07, confirm with Blockonomics");

    /**
     * Klarna's callback addresses: production, then playground, then the EU addresses of its
     * non-guaranteed product, as its callbacks page lists them. Kustom publishes none of its own.
     */
    static final Whitelist.SourceIps KLARNA_IPS = new Whitelist.SourceIps(List.of(
            "52.17.117.56", "52.17.176.198", "52.0.45.33", "52.0.46.187", "13.211.30.100", "3.104.49.49", "13.54.229.130",
            "34.242.203.160", "34.242.19.4", "52.45.47.152", "34.235.91.238", "3.24.91.202", "52.62.115.68", "52.63.129.92",
            "52.18.109.75", "63.32.138.153", "63.32.201.200", "63.33.163.93", "63.34.140.6", "63.34.72.238"),
            "docs.klarna.com/api-reference/callbacks, read 2026-12-07: production, playground, then the EU"
                    + " non-guaranteed product's production and playground addresses");

    /**
     * The secret in the Blockonomics probes' query: the shop's real one is unknown to the doctor,
     * and the router answers a probe before any secret is checked; this one has the form of a
     * real one (32 letters and digits), so a firewall meets the real shape.
     */
    static final String BLOCKONOMICS_PROBE_SECRET = "Pr0beS3cretN0tTheSh0psRea1One000";

    /**
     * Ecster and Avarda publish no User-Agent for their notifications; the probe says honestly what
     * it is, so a WAF rule keyed on their real agent is not exercised.
     */
    static final String UNPUBLISHED_USER_AGENT = "callback-kit-doctor";

    private final Map<String, ProviderProfile> profiles;

    private ProviderCatalogue(List<ProviderProfile> profiles) {
        Map<String, ProviderProfile> byName = new LinkedHashMap<>();
        for (ProviderProfile profile : profiles) {
            if (byName.put(profile.name(), profile) != null) {
                throw new IllegalArgumentException("provider " + profile.name() + " given twice");
            }
        }
        this.profiles = Collections.unmodifiableMap(byName);
    }

    /**
     * A catalogue of exactly these profiles.
     *
     * @throws IllegalArgumentException if a name is given twice
     */
    public static ProviderCatalogue of(List<ProviderProfile> profiles) {
        return new ProviderCatalogue(profiles);
    }

    /** Klarna, Kustom, Blockonomics, Ecster and Avarda, as their modules mount them by default. */
    public static ProviderCatalogue standard() {
        return of(List.of(
                klarna(KlarnaFlavour.KLARNA),
                klarna(KlarnaFlavour.KUSTOM),
                new ProviderProfile(BlockonomicsCallbacks.PROVIDER, BlockonomicsCallbackRequests.USER_AGENT, false,
                        BLOCKONOMICS_IPS, Set.of(BlockonomicsCallbacks.ORDER_HOOK_KIND),
                        BlockonomicsCallbacks.describeEndpoints(),
                        new BlockonomicsCallbackRequests(BLOCKONOMICS_PROBE_SECRET)::samples),
                new ProviderProfile(EcsterCallbacks.PROVIDER, UNPUBLISHED_USER_AGENT, true, Whitelist.SourceIps.unpublished(),
                        Set.of(), EcsterCallbacks.describeEndpoints(), new EcsterCallbackRequests()::samples),
                new ProviderProfile(AvardaCallbacks.PROVIDER, UNPUBLISHED_USER_AGENT, true, Whitelist.SourceIps.unpublished(),
                        Set.of(), AvardaCallbacks.describeEndpoints(), new AvardaCallbackRequests()::samples)));
    }

    /** The provider names, in catalogue order. */
    public List<String> names() {
        return List.copyOf(profiles.keySet());
    }

    /** Every profile, in catalogue order. */
    public List<ProviderProfile> all() {
        return List.copyOf(profiles.values());
    }

    /**
     * The profiles of {@code names}, in the order given.
     *
     * @throws IllegalArgumentException for a name the catalogue does not know, or none at all
     */
    public List<ProviderProfile> select(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one provider: " + String.join(", ", names()));
        }
        List<ProviderProfile> selected = new ArrayList<>();
        for (String name : names) {
            ProviderProfile profile = profiles.get(Objects.requireNonNull(name, "name").strip());
            if (profile == null) {
                throw new IllegalArgumentException("unknown provider '" + name + "'; known: " + String.join(", ", names()));
            }
            if (!selected.contains(profile)) {
                selected.add(profile);
            }
        }
        return List.copyOf(selected);
    }

    /** Klarna Checkout or Kustom Checkout: every kind the module can mount, all but push and notification optional. */
    private static ProviderProfile klarna(KlarnaFlavour flavour) {
        return new ProviderProfile(flavour.provider(), KlarnaCallbackRequests.USER_AGENT, true,
                flavour == KlarnaFlavour.KLARNA ? KLARNA_IPS : Whitelist.SourceIps.unpublished(),
                Set.of(KlarnaCallbacks.VALIDATION, KlarnaCallbacks.SHIPPING_OPTION_UPDATE, KlarnaCallbacks.ADDRESS_UPDATE,
                        KlarnaCallbacks.COUNTRY_CHANGE),
                KlarnaCallbacks.describeEndpoints(flavour), new KlarnaCallbackRequests(flavour)::samples);
    }
}
