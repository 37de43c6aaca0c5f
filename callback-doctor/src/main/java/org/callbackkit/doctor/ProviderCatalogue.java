package org.callbackkit.doctor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsSecrets;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.core.CallbackEndpoint;
import org.callbackkit.core.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.klarna.KlarnaApi;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCheckoutAnswer;
import org.callbackkit.klarna.KlarnaCheckoutUpdates;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * The providers the doctor knows, by name. Each entry takes its endpoints from the provider's
 * module, built with inert collaborators (nothing is ever handled: the doctor only reads paths,
 * methods, content types and retry schedules), so the doctor probes exactly what the module mounts.
 * A new provider module is one more entry in {@link #standard()}. Immutable.
 */
public final class ProviderCatalogue {

    /**
     * Blockonomics' callback servers, from an older Blockonomics help article (BTC, then BCH);
     * PROVIDERS.md asks to re-check them.
     */
    static final List<String> BLOCKONOMICS_IPS = List.of("44.241.250.59", "44.225.81.126");
    /**
     * Blockonomics calls with curl (its help article says so about intermediate certificates); this
     * is curl's default User-Agent form, the exact version is not documented.
     */
    static final String BLOCKONOMICS_USER_AGENT = "curl/8.5.0";

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
                new ProviderProfile(BlockonomicsCallbacks.PROVIDER, BLOCKONOMICS_USER_AGENT, false, BLOCKONOMICS_IPS,
                        Set.of(), BlockonomicsCallbacks.builder()
                                .secret(BlockonomicsSecrets.generate())
                                .shop(new BlockonomicsShop() {
                                    @Override
                                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                                        return Optional.empty();
                                    }

                                    @Override
                                    public void onPayment(PaymentEvent event) {
                                    }
                                })
                                .build()
                                .endpoints()),
                new ProviderProfile(EcsterCallbacks.PROVIDER, UNPUBLISHED_USER_AGENT, true, List.of(), Set.of(),
                        EcsterCallbacks.builder()
                                .api(id -> {
                                    throw new UnsupportedOperationException("the doctor does not handle callbacks");
                                })
                                .shop(new EcsterShop() {
                                    @Override
                                    public Optional<EcsterShopOrder> findByEcsterOrderId(String id) {
                                        return Optional.empty();
                                    }

                                    @Override
                                    public void onStateChange(EcsterStateChange change) {
                                    }
                                })
                                .scheduler(new ManualDelayedActionScheduler(MutableClock.atFixedStart()))
                                .build()
                                .endpoints()),
                new ProviderProfile(AvardaCallbacks.PROVIDER, UNPUBLISHED_USER_AGENT, true, List.of(), Set.of(),
                        AvardaCallbacks.builder()
                                .api(id -> {
                                    throw new UnsupportedOperationException("the doctor does not handle callbacks");
                                })
                                .shop(new AvardaShop() {
                                    @Override
                                    public Optional<AvardaShopOrder> findByPurchaseId(String id) {
                                        return Optional.empty();
                                    }

                                    @Override
                                    public void onStateChange(AvardaStateChange change) {
                                    }
                                })
                                .scheduler(new ManualDelayedActionScheduler(MutableClock.atFixedStart()))
                                .build()
                                .endpoints())));
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
        try (KlarnaCallbacks module = KlarnaCallbacks.builder()
                .flavour(flavour)
                .environment(KlarnaEnvironment.LIVE)
                .api(new InertKlarna())
                .shop(new InertKlarna())
                .validator(order -> KlarnaCheckoutAnswer.approve())
                .checkoutUpdates(new KlarnaCheckoutUpdates() { })
                .scheduler(new ManualDelayedActionScheduler(MutableClock.atFixedStart()))
                .journal(new InMemoryCallbackJournal(1))
                .build()) {
            List<CallbackEndpoint> endpoints = module.endpoints();
            return new ProviderProfile(flavour.provider(), KlarnaCallbackRequests.USER_AGENT, true, List.of(),
                    Set.of(KlarnaCallbacks.VALIDATION, KlarnaCallbacks.SHIPPING_OPTION_UPDATE,
                            KlarnaCallbacks.ADDRESS_UPDATE, KlarnaCallbacks.COUNTRY_CHANGE),
                    endpoints);
        }
    }

    /** Never called: the doctor reads the module's endpoints and never handles a callback. */
    private static final class InertKlarna implements KlarnaApi, KlarnaShop {
        @Override
        public KlarnaOrder getOrder(String orderId) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public void acknowledge(String orderId) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public void setMerchantReferences(String orderId, String merchantReference1, String merchantReference2) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public KlarnaOrder getCheckoutOrder(String orderId) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
            throw new UnsupportedOperationException("the doctor does not handle callbacks");
        }
    }
}
