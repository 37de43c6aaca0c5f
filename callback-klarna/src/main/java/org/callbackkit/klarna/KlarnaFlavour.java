package org.callbackkit.klarna;

import java.net.URI;

/**
 * Which checkout the shop runs: Klarna Checkout v3, or Kustom Checkout (the same API under other
 * hosts since Kustom took Klarna Checkout over). The flavour names the provider in the journal and
 * the default callback paths.
 */
public enum KlarnaFlavour {
    /** Klarna Checkout v3 on {@code api*.klarna.com}. */
    KLARNA("klarna"),
    /** Kustom Checkout on {@code api*.kustom.co}. */
    KUSTOM("kustom");

    private final String provider;

    KlarnaFlavour(String provider) {
        this.provider = provider;
    }

    /**
     * The flavour {@code credentials} belong to, told apart as Klarna's own Order Management plugin
     * does: Kustom when the shared secret starts with {@code kco_} or the merchant id with {@code M}
     * or {@code PM}, else Klarna. Null credentials (an API given instead) are Klarna's.
     */
    public static KlarnaFlavour of(KlarnaCredentials credentials) {
        if (credentials == null) {
            return KLARNA;
        }
        boolean kustom = credentials.sharedSecret().startsWith("kco_") || credentials.merchantId().startsWith("M")
                || credentials.merchantId().startsWith("PM");
        return kustom ? KUSTOM : KLARNA;
    }

    /**
     * The query parameter the flavour's documentation puts the order id of the push URL in:
     * {@code klarna_order_id} or {@code kustom_order_id}. Both are read whatever the flavour.
     */
    public String orderIdParameter() {
        return provider + "_order_id";
    }

    /** The provider name journaled, and the first segment of the default callback paths. */
    public String provider() {
        return provider;
    }

    /**
     * The API base URI for a region and environment: Klarna publishes {@code api.klarna.com},
     * {@code api-na.klarna.com}, {@code api-oc.klarna.com} and their {@code playground} twins;
     * Kustom publishes only {@code api.kustom.co} and {@code api.playground.kustom.co} (Europe).
     *
     * @throws IllegalArgumentException for Kustom outside {@link KlarnaRegion#EU}
     */
    public URI apiBaseUri(KlarnaRegion region, KlarnaEnvironment environment) {
        String playground = environment == KlarnaEnvironment.PLAYGROUND ? ".playground" : "";
        if (this == KUSTOM) {
            if (region != KlarnaRegion.EU) {
                throw new IllegalArgumentException("Kustom publishes an API for the EU region only, not " + region);
            }
            return URI.create("https://api" + playground + ".kustom.co/");
        }
        String suffix = switch (region) {
            case EU -> "";
            case NA -> "-na";
            case OC -> "-oc";
        };
        return URI.create("https://api" + suffix + playground + ".klarna.com/");
    }
}
