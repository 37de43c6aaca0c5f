package org.callbackkit.avarda;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.SharedSecret;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.ProviderModuleBuilder;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Settlement;

/**
 * Takes Avarda Checkout 3's completed-purchase notifications and marks the shop's order paid from
 * them, exactly once, also when the shopper paid in another app (Swish, BankID) and never came back.
 *
 * <pre>{@code
 * AvardaCallbacks avarda = AvardaCallbacks.builder()
 *         .environment(AvardaEnvironment.PRODUCTION)
 *         .credentials(new AvardaCredentials(clientId, clientSecret))
 *         .authorization(authorizationValueAgreedWithAvarda)   // optional
 *         .shop(myAvardaShop)                                  // find by purchase id; told PAID or ON_HOLD
 *         .scheduler(scheduler)
 *         .stateStore(store.stateStore())                      // shared by every node
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(avarda.endpoints()).build();
 * String completedNotificationUrl = avarda.completedNotificationUrl("https://shop.example/callbacks");
 * // on the return page: avarda.confirmOrder(purchaseId)
 * }</pre>
 *
 * <p><b>The notification</b> ({@code POST} JSON {@code {"purchaseId":"..."}}) is answered: 401 when
 * the agreed {@code Authorization} header is missing, 403 when it is wrong (compared in constant
 * time); 400 for a body that is not such JSON; 404 when the shop has no order for the purchase, so
 * that Avarda sends it again (every 10 minutes, 20 times); 200 with no work when the order is
 * already paid; otherwise 200 once a delayed action of type {@value #ACTION_TYPE}, keyed by the
 * purchase, is scheduled 120 s later (repeats while it waits are the same action). A scheduler
 * that cannot store the action makes the router answer 503, and Avarda sends it again.
 *
 * <p><b>The action</b> and {@link #confirmOrder(String)} run one code path on core's
 * {@link Reconciler}: read the payment from Avarda's API and, when its step is {@code Completed},
 * compare Avarda's total and currency with the shop's. A match is reported
 * {@link AvardaStateChange.Kind#PAID} once per purchase, on every node sharing the state
 * store; a difference {@link AvardaStateChange.Kind#ON_HOLD} once, and the action then ends dead
 * with the difference for the operator. Steps still under way, API failures that may pass, and a
 * shop order that went missing are retried on {@link #ACTION_RETRY_SCHEDULE}; a timed-out
 * purchase ends dead with the reason.
 */
public final class AvardaCallbacks {

    /** The provider name journaled. */
    public static final String PROVIDER = "avarda";
    /** The callback kind journaled. */
    public static final String KIND = "completed";
    /** Where the endpoint is mounted below the servlet unless told otherwise. */
    public static final String DEFAULT_PATH = "/avarda/completed";
    /** The delayed action type registered on the scheduler. */
    public static final String ACTION_TYPE = "avarda.completed";
    /** How long after a notification the purchase is read, unless told otherwise: 120 s, as the plugin does. */
    public static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofSeconds(120);
    /** How far Avarda's total may differ from the shop's and still match, unless told otherwise: 0.03, as Avarda's plugin allows. */
    public static final BigDecimal DEFAULT_AMOUNT_TOLERANCE = new BigDecimal("0.03");
    /**
     * How Avarda re-sends a notification not answered 2xx: every 10 minutes, at most 20 attempts
     * (Avarda's "Server-side Callbacks" documentation for Checkout 3).
     */
    public static final RetrySchedule RETRY_SCHEDULE = RetrySchedule.fixed(Duration.ofMinutes(10), 20);
    /** How the action retries API failures and steps still under way: soon at first, then every 2 hours for 48 h. */
    public static final RetrySchedule ACTION_RETRY_SCHEDULE = RetrySchedule
            .ofDelays(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
                    Duration.ofHours(1))
            .thenEvery(Duration.ofHours(2), Duration.ofHours(48));

    private final CallbackEndpoint endpoint;
    private final AvardaShop shop;
    private final Reconciler<AvardaPayment, AvardaShopOrder, AvardaFlow.Change> engine;
    private final SharedSecret authorization;

    private AvardaCallbacks(Builder builder, String path, AvardaShop shop,
            Reconciler<AvardaPayment, AvardaShopOrder, AvardaFlow.Change> engine) {
        this.shop = shop;
        this.engine = engine;
        this.authorization = builder.authorization;
        this.endpoint = endpoint(path).handler(this::handle).build();
    }

    private static CallbackEndpoint.Builder endpoint(String path) {
        return CallbackEndpoint.builder(PROVIDER, KIND)
                .path(path)
                .methods("POST") // any media type: Avarda does not document it, and the body is parsed strictly
                .retrySchedule(RETRY_SCHEDULE)
                .orderReferenceParameter("purchaseId") // a refused notification is found by its purchase too
                .authentication("the Authorization header agreed with Avarda, compared in constant time (optional);"
                        + " the purchase is always re-read from Avarda's API, never taken from the notification");
    }

    /**
     * What the module mounts by default, readable without building it (for tools such as the
     * doctor): descriptions only, never to be mounted.
     */
    public static List<CallbackEndpoint> describeEndpoints() {
        return List.of(endpoint(DEFAULT_PATH).describe());
    }

    /** A builder: shop, scheduler, and credentials (with an environment) or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to mount: POST {@value #DEFAULT_PATH} (JSON) unless another path was given. */
    public List<CallbackEndpoint> endpoints() {
        return List.of(endpoint);
    }

    /**
     * The {@code CompletedNotificationUrl} to give Avarda when initializing a payment:
     * {@code mountUrl} (where the callback servlet is mounted, e.g.
     * {@code https://shop.example/callbacks}) plus the endpoint path.
     *
     * @throws IllegalArgumentException unless an absolute http(s) URL without query
     */
    public String completedNotificationUrl(String mountUrl) {
        return endpoint.urlBelow(mountUrl);
    }

    /**
     * Reads the purchase now and applies it to the shop's order, for the shopper's return page: the
     * same code as the notification's delayed action, so whichever comes second finds the work done,
     * on any node sharing the state store. When Avarda cannot be read for a reason that may pass,
     * the delayed action is scheduled too.
     *
     * @throws IllegalArgumentException if the id is not an Avarda purchase id
     * @throws ProviderApiException if Avarda's API cannot be read ({@link ProviderApiException#retryable()} says whether to try again)
     * @throws RuntimeException whatever the shop threw; nothing was recorded then
     */
    public Settlement confirmOrder(String purchaseId) {
        UntrustedText.requirePathSegmentId(purchaseId, "purchase id");
        return engine.settle(purchaseId);
    }

    /** What the engine knows of the purchase: settled (paid), on hold reported. */
    public OrderState orderState(String purchaseId) {
        return engine.state(purchaseId);
    }

    // ---- the notification ------------------------------------------------------------------

    private CallbackResponse handle(CallbackRequest request) {
        if (authorization != null) {
            List<String> given = request.headers().all("Authorization");
            if (given.isEmpty()) {
                return CallbackResponse.unauthorized("missing Authorization header");
            }
            if (given.size() > 1 || !authorization.matches(given.get(0))) {
                throw new UnauthenticatedCallbackException("wrong Authorization header");
            }
        }
        String purchaseId = purchaseIdOf(request);
        return answer(purchaseId).withOrderReference(purchaseId);
    }

    private CallbackResponse answer(String purchaseId) {
        Optional<AvardaShopOrder> found = shop.findOrder(purchaseId);
        if (found.isEmpty()) {
            return CallbackResponse.notFound("no order for this purchase")
                    .withOutcome(CallbackOutcome.REJECTED_INPUT)
                    .withDetail("no shop order for Avarda purchase " + purchaseId + " (yet); Avarda sends it again in 10 min");
        }
        if (found.get().paid() || engine.state(purchaseId).settled()) {
            return CallbackResponse.duplicate()
                    .withDetail("shop order " + found.get().reference() + " is already paid; nothing to do");
        }
        Optional<Instant> runAt = engine.accept(purchaseId, Optional.empty());
        return runAt.isPresent()
                ? CallbackResponse.ok().withDetail("purchase " + purchaseId + " of shop order " + found.get().reference()
                        + ": will be read from Avarda at " + runAt.get())
                : CallbackResponse.duplicate().withDetail("purchase " + purchaseId + ": already pending");
    }

    private static String purchaseIdOf(CallbackRequest request) {
        JsonNode body = CallbackJson.readObject(request);
        JsonNode purchaseId = body.get("purchaseId");
        if (purchaseId == null || purchaseId.isNull()) {
            throw new InvalidCallbackException("purchaseId is missing");
        }
        if (!purchaseId.isTextual() || !UntrustedText.isPathSegmentId(purchaseId.textValue())) {
            throw new InvalidCallbackException("purchaseId must be an Avarda purchase id string");
        }
        return purchaseId.textValue();
    }

    /** Builds {@link AvardaCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder
            extends ProviderModuleBuilder<Builder, AvardaApi, AvardaEnvironment, AvardaCredentials, AvardaShop> {
        private BigDecimal amountTolerance = DEFAULT_AMOUNT_TOLERANCE;
        private SharedSecret authorization;

        private Builder() {
            super(PROVIDER, KIND, DEFAULT_PATH, DEFAULT_PROCESSING_DELAY);
        }

        /**
         * How far Avarda's total may differ from the shop's and still match (rounding); default 0.03.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder amountTolerance(BigDecimal tolerance) {
            if (Objects.requireNonNull(tolerance, "tolerance").signum() < 0) {
                throw new IllegalArgumentException("amount tolerance must not be negative: " + tolerance);
            }
            this.amountTolerance = tolerance;
            return this;
        }

        /**
         * The whole {@code Authorization} header value Avarda is configured to send (Avarda sends a
         * static one on request, e.g. {@code Basic ...} or a long-lived {@code Bearer ...});
         * compared in constant time: missing is 401, wrong 403. A secret: keep it in configuration.
         * Default: no check.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder authorization(String headerValue) {
            this.authorization = SharedSecret.of(headerValue);
            return this;
        }

        /**
         * Builds the module and registers {@value AvardaCallbacks#ACTION_TYPE} on the scheduler.
         *
         * @throws IllegalStateException without shop or scheduler; without credentials when no API is
         *     given, or credentials without an environment or base URI; with an API and HTTP settings
         *     it would ignore; or when the scheduler already has the action type
         */
        public AvardaCallbacks build() {
            AvardaApi api = api(environment() == null ? null : environment().baseUri(),
                    "environment is required: STAGE or PRODUCTION", http -> new AvardaHttpApi(http, credentials(), clock()));
            AvardaShop shop = shop();
            return new AvardaCallbacks(this, path(), shop,
                    reconciler(new AvardaFlow(api, shop, amountTolerance), ACTION_RETRY_SCHEDULE));
        }
    }
}
