package org.callbackkit.klarna;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.OrderActivityRecorder;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.ProviderModuleBuilder;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every Klarna Checkout v3 / Kustom Checkout callback: push, validation, notification,
 * shipping option update, address update and country change.
 *
 * <pre>{@code
 * KlarnaCallbacks klarna = KlarnaCallbacks.builder()
 *         .flavour(KlarnaFlavour.KLARNA).region(KlarnaRegion.EU).environment(KlarnaEnvironment.LIVE)
 *         .credentials(new KlarnaCredentials(merchantId, sharedSecret))
 *         .shop(myKlarnaShop)                 // find, confirm, mismatch
 *         .validator(order -> KlarnaCheckoutAnswer.approve(), KlarnaCheckoutAnswer.approve()) // answer, fallback
 *         .scheduler(scheduler).stateStore(stateStore).journal(journal).clock(clock)
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).build();
 * Map<String, String> merchantUrls = klarna.merchantUrls("https://shop.example/callbacks");
 * // on the confirmation page: klarna.confirmOrder(klarnaOrderId)
 * }</pre>
 *
 * <p><b>Push.</b> Answered 200 at once; the work is a delayed action of type
 * {@code <name>.push} keyed by order id, so a burst of pushes is one action. The action and
 * {@link #confirmOrder(String)} run one code path on core's {@link Reconciler}: re-read the order
 * from Order Management (callbacks are not signed: the API is the proof), ask the
 * {@link KlarnaShop} for its order, compare state, currency, total (one minor unit of rounding
 * allowed by default) and lines, confirm it in the shop once, then acknowledge it to Klarna and
 * set the shop's order number as {@code merchant_reference1} (and its internal id as
 * {@code merchant_reference2} when the shop gives one). "Once" holds on every node sharing
 * the {@linkplain ProviderModuleBuilder#stateStore state store}, and so does a single
 * acknowledgement. A mismatch is not acknowledged (Klarna keeps pushing) and the action ends dead
 * with the differences; a missing shop order and API failures are retried with backoff. After
 * acknowledgement, pushes are answered as duplicates with no call at all.
 *
 * <p><b>Validation</b> and the <b>checkout updates</b> are answered synchronously by the host's
 * {@link KlarnaValidator} and {@link KlarnaCheckoutUpdates} within a deadline (2.5 s by default;
 * Klarna waits about 3 s), else a fallback answer. <b>Notifications</b> are answered 200 and
 * re-read from Order Management later; the shop hears of each fraud decision once.
 *
 * <p>Owns a bounded thread pool for the deadlines: {@link #close()} it with the shop.
 */
public final class KlarnaCallbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaCallbacks.class);

    /** Kind of the push callback. */
    public static final String PUSH = "push";
    /** Kind of the validation callback. */
    public static final String VALIDATION = "validation";
    /** Kind of the fraud notification callback. */
    public static final String NOTIFICATION = "notification";
    /** Kind of the shipping option update callback. */
    public static final String SHIPPING_OPTION_UPDATE = "shipping_option_update";
    /** Kind of the address update callback. */
    public static final String ADDRESS_UPDATE = "address_update";
    /** Kind of the country change callback. */
    public static final String COUNTRY_CHANGE = "country_change";
    private static final String PUSH_AUTHENTICATION =
            "none: Klarna signs nothing; the order is always re-read from Order Management";

    /** Kind of the journal entry written when a push, not the browser, confirmed an order. */
    public static final String PUSH_COMPLETED = "push.completed";

    /**
     * How Klarna re-sends a push until the order is acknowledged: after 5, 15, 30 and 60 minutes,
     * then every 4 hours, for 48 hours after the first (which comes about 2 minutes after the purchase).
     */
    public static final RetrySchedule PUSH_RETRY_SCHEDULE = RetrySchedule
            .ofDelays(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(60))
            .thenEvery(Duration.ofHours(4), Duration.ofHours(48));

    /**
     * How this module retries its own push and notification work (API failures, shop order not
     * yet created): soon at first, then as long as Klarna would push.
     */
    public static final RetrySchedule ACTION_RETRY_SCHEDULE = RetrySchedule
            .ofDelays(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15),
                    Duration.ofMinutes(30), Duration.ofMinutes(60))
            .thenEvery(Duration.ofHours(4), Duration.ofHours(48));

    private final KlarnaFlavour flavour;
    private final KlarnaEnvironment environment;
    private final KlarnaSettings settings;
    private final Reconciler<KlarnaOrder, KlarnaShopOrder, KlarnaPushFlow.Event> push;
    private final Reconciler<KlarnaNotificationFlow.Notified, KlarnaShopOrder, FraudEvent> notification;
    private final KlarnaCheckoutCallbacks checkout;

    private KlarnaCallbacks(KlarnaFlavour flavour, KlarnaEnvironment environment, KlarnaSettings settings,
            Reconciler<KlarnaOrder, KlarnaShopOrder, KlarnaPushFlow.Event> push,
            Reconciler<KlarnaNotificationFlow.Notified, KlarnaShopOrder, FraudEvent> notification,
            KlarnaCheckoutCallbacks.Options checkout) {
        this.flavour = flavour;
        this.environment = environment;
        this.settings = settings;
        this.push = push;
        this.notification = notification;
        this.checkout = new KlarnaCheckoutCallbacks(settings, checkout);
    }

    /** A builder; environment, shop, scheduler, journal, and credentials or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Klarna or Kustom. */
    public KlarnaFlavour flavour() {
        return flavour;
    }

    /** The delayed action type of push work: {@code <name>.push}, e.g. {@code klarna.push}. */
    public String pushActionType() {
        return settings.name() + ".push";
    }

    /** The delayed action type of notification work: {@code <name>.notification}. */
    public String notificationActionType() {
        return settings.name() + ".notification";
    }

    /** The API the module calls, e.g. for a validator that reads the Checkout API's order. */
    public KlarnaApi api() {
        return settings.api();
    }

    /**
     * The endpoints to mount: push and notification always; validation with a validator; the
     * three checkout updates with {@link Builder#checkoutUpdates}. Paths are
     * {@code <path>/<kind>/{orderId}} below the servlet's mount point, the path {@code /<name>} unless
     * {@link Builder#path} says otherwise; push and notification are also mounted at
     * {@code <path>/<kind>}, the push's id then in its query ({@code ?klarna_order_id=}), the
     * notification's in its body.
     */
    public List<CallbackEndpoint> endpoints() {
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        String provider = settings.provider();
        String prefix = settings.pathPrefix();
        endpoints.add(endpoint(provider, prefix, PUSH).handler(request -> KlarnaPushFlow.handle(request, push)).build());
        endpoints.add(endpoint(provider, prefix, NOTIFICATION)
                .handler(request -> KlarnaNotificationFlow.handle(request, notification)).build());
        if (checkout.validates()) {
            endpoints.add(endpoint(provider, prefix, VALIDATION).handler(checkout::validation).build());
        }
        if (checkout.updates()) {
            for (String kind : List.of(SHIPPING_OPTION_UPDATE, ADDRESS_UPDATE, COUNTRY_CHANGE)) {
                endpoints.add(endpoint(provider, prefix, kind)
                        .handler(request -> checkout.checkoutUpdate(request, kind)).build());
            }
        }
        // Without the id in the path: the push in the shape Klarna's and Kustom's docs show,
        // ?klarna_order_id= (or kustom_order_id=), and a notification URL registered without a
        // placeholder, whose body names the order. Orders in flight keep the URLs they were created with.
        endpoints.add(endpoint(provider, prefix, PUSH, false).handler(request -> KlarnaPushFlow.handle(request, push))
                .build());
        endpoints.add(endpoint(provider, prefix, NOTIFICATION, false)
                .handler(request -> KlarnaNotificationFlow.handle(request, notification)).build());
        return List.copyOf(endpoints);
    }

    /**
     * Every endpoint the module can mount for {@code flavour} at its default path, readable without
     * building it (for tools such as the doctor): descriptions only, never to be mounted.
     */
    public static List<CallbackEndpoint> describeEndpoints(KlarnaFlavour flavour) {
        String prefix = "/" + flavour.provider();
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        for (String kind : List.of(PUSH, NOTIFICATION, VALIDATION, SHIPPING_OPTION_UPDATE, ADDRESS_UPDATE, COUNTRY_CHANGE)) {
            endpoints.add(endpoint(flavour.provider(), prefix, kind).describe());
        }
        endpoints.add(endpoint(flavour.provider(), prefix, PUSH, false).describe()); // the shape merchantUrls hands out
        endpoints.add(endpoint(flavour.provider(), prefix, NOTIFICATION, false).describe());
        return List.copyOf(endpoints);
    }

    /**
     * The {@code merchant_urls} entries for the mounted endpoints (push, notification, and
     * validation and updates when configured), with Klarna's {@code {checkout.order.id}}
     * placeholder, ready to put in the create-order request beside the shop's own terms,
     * checkout and confirmation URLs. The push URL has the order id in its query, as the docs show
     * ({@link PushUrl#ORDER_ID_IN_QUERY}).
     *
     * @param mountUrl the public URL the callback servlet is mounted at, e.g. {@code https://shop.example/callbacks}
     * @throws IllegalArgumentException unless an absolute URL without query or fragment; in
     *     {@link KlarnaEnvironment#LIVE} unless https
     */
    public Map<String, String> merchantUrls(String mountUrl) {
        return merchantUrls(mountUrl, PushUrl.ORDER_ID_IN_QUERY);
    }

    /** Where the push URL carries the order id; the module reads both shapes. */
    public enum PushUrl {
        /** {@code .../push?klarna_order_id={checkout.order.id}} (Kustom: {@code kustom_order_id}), as Klarna's and Kustom's docs show it. */
        ORDER_ID_IN_QUERY,
        /** {@code .../push/{checkout.order.id}}, as some plugins build it (a Magento Kustom module does). */
        ORDER_ID_IN_PATH
    }

    /**
     * {@link #merchantUrls(String)} with the push URL in the given shape.
     *
     * @throws IllegalArgumentException as {@link #merchantUrls(String)}
     */
    public Map<String, String> merchantUrls(String mountUrl, PushUrl pushUrl) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (CallbackEndpoint endpoint : endpoints()) { // the push's path shape comes first
            urls.putIfAbsent(endpoint.kind(), endpoint.urlBelow(mountUrl).replace("{orderId}", "{checkout.order.id}"));
        }
        if (Objects.requireNonNull(pushUrl, "pushUrl") == PushUrl.ORDER_ID_IN_QUERY) {
            String inPath = urls.get(PUSH);
            urls.put(PUSH, inPath.substring(0, inPath.length() - "/{checkout.order.id}".length()) + "?"
                    + flavour.orderIdParameter() + "={checkout.order.id}");
        }
        if (environment == KlarnaEnvironment.LIVE && !mountUrl.startsWith("https:")) {
            throw new IllegalArgumentException("Klarna calls live callbacks over https only: " + mountUrl);
        }
        return Collections.unmodifiableMap(urls);
    }

    /**
     * Confirms an order from the shopper's confirmation page: the same code as a push (re-read from
     * Order Management, compare, confirm in the shop once, acknowledge, set the reference), so
     * whichever comes second finds the work done, on any node sharing the state store. When
     * telling Klarna fails after the shop confirmed the order, it is retried as push work and the
     * order is returned settled; when Order Management fails before, retryable failures are
     * scheduled likewise and the error is thrown, for the page to say "we are processing your order".
     *
     * @throws IllegalArgumentException if {@code orderId} is not a Klarna order id
     * @throws ProviderApiException if Order Management fails before the shop confirmed the order
     * @throws RuntimeException whatever the shop threw; nothing was recorded then
     */
    public Settlement confirmOrder(String orderId) {
        return push.settle(Checks.requireOrderId(orderId));
    }

    /** Whether this module acknowledged the order to Klarna. */
    public boolean isAcknowledged(String orderId) {
        OrderState state = push.state(orderId);
        return state.settled() && !state.followUps().containsKey(KlarnaPushFlow.ACKNOWLEDGE);
    }

    /** What the engine knows of the order's push: settled (confirmed), follow-ups still to make. */
    public OrderState orderState(String orderId) {
        return push.state(orderId);
    }

    /** Stops the threads that run validators and checkout updates within their deadline. */
    @Override
    public void close() {
        checkout.close();
    }

    private static CallbackEndpoint.Builder endpoint(String provider, String pathPrefix, String kind) {
        return endpoint(provider, pathPrefix, kind, true);
    }

    /** The endpoint of {@code kind} at {@code <prefix>/<kind>/{orderId}}, or at {@code <prefix>/<kind>} without {@code idInPath}. */
    private static CallbackEndpoint.Builder endpoint(String provider, String pathPrefix, String kind, boolean idInPath) {
        CallbackEndpoint.Builder endpoint = CallbackEndpoint.builder(provider, kind)
                .path(pathPrefix + "/" + kind + (idInPath ? "/{orderId}" : ""))
                .methods("POST");
        if (idInPath) { // a refused callback is found by its order too
            endpoint.orderReferenceParameter("orderId");
        } else if (kind.equals(PUSH)) {
            Checks.ORDER_ID_PARAMETERS.forEach(endpoint::orderReferenceParameter);
        }
        if (kind.equals(PUSH)) {
            return endpoint.retrySchedule(PUSH_RETRY_SCHEDULE).authentication(PUSH_AUTHENTICATION);
        }
        // Klarna does not document how it re-sends the others; none is assumed.
        return endpoint.contentTypes("application/json").retrySchedule(RetrySchedule.none()).authentication(
                kind.equals(NOTIFICATION) ? "none: Klarna signs nothing; the fraud status is re-read from Order Management"
                        : "none: Klarna signs nothing; the answer concerns only the cart in the body");
    }

    /** Builds {@link KlarnaCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder
            extends ProviderModuleBuilder<Builder, KlarnaApi, KlarnaEnvironment, KlarnaCredentials, KlarnaShop> {
        private KlarnaFlavour flavour;
        private String name;
        private KlarnaRegion region = KlarnaRegion.EU;
        private final KlarnaCheckoutCallbacks.Options checkout = new KlarnaCheckoutCallbacks.Options();
        private CallbackJournal journal;
        private long amountTolerance = 1;

        private Builder() {
            super("klarna", PUSH, null, Duration.ZERO);
        }

        /** Klarna or Kustom, the API hosts and the provider name journaled; default told by the credentials ({@link KlarnaFlavour#of}). */
        public Builder flavour(KlarnaFlavour flavour) {
            this.flavour = Objects.requireNonNull(flavour, "flavour");
            return this;
        }

        /**
         * Names this module when a shop has several Klarna accounts (one per country is common):
         * the action types ({@code <name>.push}), state scopes and default path prefix
         * ({@code /<name>}) derive from it. Default: the flavour's provider name.
         *
         * @throws IllegalArgumentException unless 1-32 lower-case letters, digits or dashes
         */
        public Builder name(String name) {
            if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
                throw new IllegalArgumentException("name must be 1-32 of a-z, 0-9 and -: " + name);
            }
            this.name = name;
            return this;
        }

        /** The merchant account's region; default EU. */
        public Builder region(KlarnaRegion region) {
            this.region = Objects.requireNonNull(region, "region");
            return httpSettingGiven();
        }

        /**
         * Validates purchases, and what to answer when the validator throws or overruns the
         * deadline: a choice, not a default. {@link KlarnaCheckoutAnswer#approve()} is what Klarna
         * itself does when no answer comes, and keeps the sale when your validator has a bad moment;
         * a refusal ({@code reject(KlarnaErrorType.APPROVAL_FAILED, ...)}) fails closed, as
         * Klarna's current plugin does, for shops whose validation guards stock or limits that
         * must hold. Without a validator no validation endpoint is mounted.
         *
         * @throws IllegalArgumentException if {@code whenItFails} is an update answer
         */
        public Builder validator(KlarnaValidator validator, KlarnaCheckoutAnswer whenItFails) {
            checkout.validator = Objects.requireNonNull(validator, "validator");
            checkout.validationFallback(whenItFails);
            return this;
        }

        /** Recomputes the cart; without it, no update endpoints are mounted. */
        public Builder checkoutUpdates(KlarnaCheckoutUpdates updates) {
            checkout.updates = Objects.requireNonNull(updates, "updates");
            return this;
        }

        /**
         * How long validators and checkout updates may take before the fallback is sent; default
         * 2.5 s, under Klarna's 3 s.
         *
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder deadline(Duration deadline) {
            checkout.deadline(deadline);
            return this;
        }

        /**
         * Sent when a checkout update (shipping option, address, country) throws, overruns or
         * cannot run; default a 400 {@code approval_failed} asking the shopper to try again, since
         * an unchanged cart (without the new shipping fee, say) would not match the shop's order.
         *
         * @throws NullPointerException if null
         */
        public Builder checkoutUpdateFallback(KlarnaCheckoutAnswer fallback) {
            checkout.updateFallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * How many validators and checkout updates may run at once; beyond that the fallback is
         * answered at once. Default 16.
         *
         * @throws IllegalArgumentException unless 1..1024
         */
        public Builder maxConcurrentCheckoutCallbacks(int max) {
            checkout.maxConcurrent(max);
            return this;
        }

        /**
         * How far, in minor units, Klarna's total may differ from the shop's and still match
         * (tax rounding); default 1.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder amountTolerance(long minorUnits) {
            if (minorUnits < 0) {
                throw new IllegalArgumentException("amount tolerance must not be negative: " + minorUnits);
            }
            this.amountTolerance = minorUnits;
            return this;
        }

        /**
         * Where orders confirmed by a push are journaled (kind {@value KlarnaCallbacks#PUSH_COMPLETED}),
         * and each order's API calls and action runs recorded ({@link #journal(OrderActivityRecorder)}). Required.
         */
        public Builder journal(CallbackJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return super.journal(journal);
        }

        /**
         * Builds the module and registers its action types on the scheduler.
         *
         * @throws IllegalStateException without environment, shop, scheduler or journal; without
         *     credentials when no API is given; with an API and HTTP settings (credentials, region,
         *     base URI, timeouts) it would ignore; for Kustom outside the EU without a base URI; or
         *     when the scheduler already has this module's action types
         */
        public KlarnaCallbacks build() {
            KlarnaEnvironment environment = environment();
            if (environment == null) {
                throw new IllegalStateException("environment is required: PLAYGROUND or LIVE");
            }
            if (journal == null) {
                throw new IllegalStateException("shop, scheduler and journal are required");
            }
            KlarnaFlavour flavour = this.flavour != null ? this.flavour : KlarnaFlavour.of(credentials());
            if (this.flavour == null && flavour == KlarnaFlavour.KUSTOM) {
                // Until this round the default was KLARNA whatever the credentials: say what moved.
                LOG.info("Kustom credentials: the module runs as Kustom (API api*.kustom.co, callbacks below /kustom, "
                        + "journaled as kustom). A shop that ran with the old default keeps its callback URLs and "
                        + "pending work with name(\"klarna\")");
            }
            URI flavourBase = flavour == KlarnaFlavour.KUSTOM && region != KlarnaRegion.EU ? null
                    : flavour.apiBaseUri(region, environment);
            KlarnaApi api = api(flavourBase, "Kustom publishes an API for the EU region only, not " + region
                    + ": give a base URI", http -> new KlarnaHttpApi(http, credentials()));
            String provider = flavour.provider();
            String moduleName = name == null ? provider : name;
            KlarnaSettings settings = new KlarnaSettings(moduleName, provider, path() == null ? "/" + moduleName : path(),
                    api, shop(), journal, clock(), amountTolerance);
            return new KlarnaCallbacks(flavour, environment, settings,
                    reconciler(new KlarnaPushFlow(settings), ACTION_RETRY_SCHEDULE),
                    reconciler(new KlarnaNotificationFlow(settings), ACTION_RETRY_SCHEDULE), checkout);
        }
    }
}
