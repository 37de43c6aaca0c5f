package org.callbackkit.avarda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.ActionContext;
import org.callbackkit.core.ActionResult;
import org.callbackkit.core.CallbackEndpoint;
import org.callbackkit.core.CallbackOutcome;
import org.callbackkit.core.CallbackRequest;
import org.callbackkit.core.CallbackResponse;
import org.callbackkit.core.DelayedAction;
import org.callbackkit.core.DelayedActionScheduler;
import org.callbackkit.core.IdempotencyStore;
import org.callbackkit.core.InMemoryIdempotencyStore;
import org.callbackkit.core.InMemoryKeyedLocks;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.KeyedLocks;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.avarda.AvardaConfirmation.Result;
import org.callbackkit.avarda.AvardaStateChange.Kind;
import org.callbackkit.avarda.AvardaStateChange.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Avarda Checkout 3's completed-purchase notifications and marks the shop's order paid from
 * them, exactly once, also when the shopper paid in another app (Swish, BankID) and never came back.
 *
 * <pre>{@code
 * AvardaCallbacks avarda = AvardaCallbacks.builder()
 *         .environment(AvardaEnvironment.PRODUCTION)
 *         .credentials(new AvardaCredentials(clientId, clientSecret))
 *         .authorization(authorizationValueAgreedWithAvarda)   // optional
 *         .orders(purchaseId -> shop.findAvardaOrder(purchaseId))
 *         .listener(change -> shop.apply(change))              // PAID or ON_HOLD
 *         .scheduler(scheduler)
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(avarda.endpoints()).build();
 * String completedNotificationUrl = avarda.completedNotificationUrl("https://shop.example/callbacks");
 * // on the return page: avarda.confirmPurchase(purchaseId)
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
 * <p><b>The action</b> (and {@link #confirmPurchase(String)}, under the same per-purchase lock)
 * reads the payment from Avarda's API and, when its step is {@code Completed}, compares Avarda's
 * total and currency with the shop's: a match is reported {@link Kind#PAID} at most once per
 * purchase (guarded by the shop's own paid flag and the {@link IdempotencyStore}), a difference
 * {@link Kind#ON_HOLD} once, and the action then ends dead with the difference for the operator.
 * Steps still under way, API failures that may pass, and a shop order that went missing are
 * retried on {@link #ACTION_RETRY_SCHEDULE}; a timed-out purchase ends dead with the reason.
 */
public final class AvardaCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(AvardaCallbacks.class);

    /** The provider name journaled. */
    public static final String PROVIDER = "avarda";
    /** The callback kind journaled. */
    public static final String KIND = "completed";
    /** Where the endpoint is mounted below the servlet unless told otherwise. */
    public static final String DEFAULT_PATH = "/avarda/completed";
    /** The delayed action type registered on the scheduler. */
    public static final String ACTION_TYPE = "avarda.completed";
    /** The idempotency scope of purchases reported paid. */
    public static final String PAID_SCOPE = "avarda.paid";
    /** The idempotency scope of purchases reported on hold. */
    public static final String ON_HOLD_SCOPE = "avarda.on-hold";
    /** How long after a notification the purchase is read, unless told otherwise: 120 s, as the plugin does. */
    public static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofSeconds(120);
    /** How far Avarda's total may differ from the shop's and still match, unless told otherwise: 0.01. */
    public static final BigDecimal DEFAULT_AMOUNT_TOLERANCE = new BigDecimal("0.01");
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

    private final String path;
    private final AvardaApi api;
    private final AvardaOrders orders;
    private final AvardaListener listener;
    private final DelayedActionScheduler scheduler;
    private final Clock clock;
    private final KeyedLocks locks;
    private final IdempotencyStore store;
    private final Duration processingDelay;
    private final BigDecimal amountTolerance;
    private final byte[] authorizationDigest;

    private AvardaCallbacks(Builder builder, AvardaApi api) {
        this.path = builder.path;
        this.api = api;
        this.orders = builder.orders;
        this.listener = builder.listener;
        this.scheduler = builder.scheduler;
        this.clock = builder.clock;
        this.locks = builder.locks;
        this.store = builder.store;
        this.processingDelay = builder.processingDelay;
        this.amountTolerance = builder.amountTolerance;
        this.authorizationDigest = builder.authorization == null ? null : Checks.sha256(builder.authorization);
        scheduler.register(ACTION_TYPE, this::run, ACTION_RETRY_SCHEDULE);
    }

    /** A builder: orders, listener, scheduler, and credentials (with an environment) or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to mount: POST {@value #DEFAULT_PATH} (JSON) unless another path was given. */
    public List<CallbackEndpoint> endpoints() {
        return List.of(CallbackEndpoint.builder(PROVIDER, KIND)
                .path(path)
                .methods("POST")
                .contentTypes("application/json")
                .retrySchedule(RETRY_SCHEDULE)
                .handler(this::handle)
                .build());
    }

    /**
     * The {@code CompletedNotificationUrl} to give Avarda when initializing a payment:
     * {@code mountUrl} (where the callback servlet is mounted, e.g.
     * {@code https://shop.example/callbacks}) plus the endpoint path.
     *
     * @throws IllegalArgumentException unless an absolute http(s) URL without query
     */
    public String completedNotificationUrl(String mountUrl) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(mountUrl, "mountUrl"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + mountUrl, e);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("mount URL must be an absolute http(s) URL without query: " + mountUrl);
        }
        return (mountUrl.endsWith("/") ? mountUrl.substring(0, mountUrl.length() - 1) : mountUrl) + path;
    }

    /**
     * Reads the purchase now and applies it to the shop's order, for the shopper's return page: the
     * same decision as the notification's delayed action, under the same per-purchase lock, so
     * whichever comes second finds the work done.
     *
     * @throws IllegalArgumentException if the id is not an Avarda purchase id
     * @throws AvardaApiException if Avarda's API cannot be read ({@link AvardaApiException#retryable()} says whether to try again)
     * @throws RuntimeException whatever the lookup or the listener threw; nothing was recorded then
     */
    public AvardaConfirmation confirmPurchase(String purchaseId) {
        Checks.requireId(purchaseId, "purchase id");
        return read(purchaseId, Source.BROWSER);
    }

    // ---- the notification ------------------------------------------------------------------

    private CallbackResponse handle(CallbackRequest request) {
        if (authorizationDigest != null) {
            List<String> given = request.headers().all("Authorization");
            if (given.isEmpty()) {
                return CallbackResponse.unauthorized("missing Authorization header");
            }
            if (given.size() > 1 || !Checks.sameDigest(authorizationDigest, given.get(0))) {
                throw new UnauthenticatedCallbackException("wrong Authorization header");
            }
        }
        String purchaseId = purchaseIdOf(request);
        Optional<AvardaShopOrder> found = orders.findByPurchaseId(purchaseId);
        if (found.isEmpty()) {
            return CallbackResponse.notFound("no order for this purchase")
                    .withOutcome(CallbackOutcome.REJECTED_INPUT)
                    .withDetail("no shop order for Avarda purchase " + purchaseId + " (yet); Avarda sends it again in 10 min");
        }
        if (isPaid(purchaseId, found.get())) {
            return CallbackResponse.duplicate()
                    .withDetail("shop order " + found.get().reference() + " is already paid; nothing to do");
        }
        Instant runAt = clock.instant().plus(processingDelay);
        boolean scheduled = scheduler.schedule(new DelayedAction(ACTION_TYPE, purchaseId, "{}", runAt));
        return scheduled
                ? CallbackResponse.ok().withDetail("purchase " + purchaseId + " of shop order " + found.get().reference()
                        + ": will be read from Avarda at " + runAt)
                : CallbackResponse.duplicate().withDetail("purchase " + purchaseId + ": already pending");
    }

    private static String purchaseIdOf(CallbackRequest request) {
        JsonNode body;
        try {
            body = Checks.MAPPER.readTree(request.bodyStream());
        } catch (JsonProcessingException | NumberFormatException e) {
            // Jackson reports a decimal it cannot hold, such as 1e9999999993941089, as NumberFormatException
            throw new InvalidCallbackException("body is not valid JSON");
        } catch (IOException e) {
            throw new InvalidCallbackException("body could not be read");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidCallbackException("body must be a JSON object");
        }
        JsonNode purchaseId = body.get("purchaseId");
        if (purchaseId == null || purchaseId.isNull()) {
            throw new InvalidCallbackException("purchaseId is missing");
        }
        if (!purchaseId.isTextual() || !Checks.isId(purchaseId.textValue())) {
            throw new InvalidCallbackException("purchaseId must be an Avarda purchase id string");
        }
        return purchaseId.textValue();
    }

    // ---- the delayed action and the browser: one decision ------------------------------------

    private ActionResult run(ActionContext context) {
        AvardaConfirmation confirmation;
        try {
            confirmation = read(context.key(), Source.NOTIFICATION);
        } catch (AvardaApiException e) {
            return e.retryable() ? retryLater(context, e.getMessage()) : ActionResult.giveUp(e.getMessage());
        }
        return switch (confirmation.result()) {
            case PAID, ALREADY_PAID -> ActionResult.done();
            case ON_HOLD, EXPIRED -> ActionResult.giveUp(confirmation.detail());
            case NOT_COMPLETED, SHOP_ORDER_NOT_FOUND -> retryLater(context, confirmation.detail());
        };
    }

    private static ActionResult retryLater(ActionContext context, String reason) {
        return ActionResult.retryAfter(ACTION_RETRY_SCHEDULE.nextAttemptAfter(context.attempt()).orElse(Duration.ZERO),
                reason);
    }

    private AvardaConfirmation read(String purchaseId, Source source) {
        return locks.withLock(PROVIDER + ":" + purchaseId, () -> {
            Optional<AvardaShopOrder> found = orders.findByPurchaseId(purchaseId);
            if (found.isEmpty()) {
                return new AvardaConfirmation(purchaseId, Result.SHOP_ORDER_NOT_FOUND, "",
                        "the shop has no order for Avarda purchase " + purchaseId);
            }
            AvardaShopOrder shopOrder = found.get();
            if (isPaid(purchaseId, shopOrder)) {
                return new AvardaConfirmation(purchaseId, Result.ALREADY_PAID, "",
                        "shop order " + shopOrder.reference() + " is already paid; Avarda not asked");
            }
            AvardaPayment payment = api.getPayment(purchaseId);
            String step = Checks.printable(payment.step());
            return switch (payment.state()) {
                case COMPLETED -> completed(payment, shopOrder, source);
                case EXPIRED -> new AvardaConfirmation(purchaseId, Result.EXPIRED, payment.step(),
                        "Avarda purchase " + purchaseId + " is " + step + ": it will not complete; shop order "
                                + shopOrder.reference() + " is not paid");
                default -> new AvardaConfirmation(purchaseId, Result.NOT_COMPLETED, payment.step(),
                        "Avarda purchase " + purchaseId + " is not completed yet (step " + step + ")");
            };
        });
    }

    private boolean isPaid(String purchaseId, AvardaShopOrder shopOrder) {
        return shopOrder.paid() || store.isDone(PAID_SCOPE, purchaseId);
    }

    /** Paid when Avarda's total and currency match the shop's, else on hold; each reported once. */
    private AvardaConfirmation completed(AvardaPayment payment, AvardaShopOrder shopOrder, Source source) {
        String purchaseId = payment.purchaseId();
        List<String> differences = differences(payment, shopOrder);
        if (!differences.isEmpty()) {
            String reason = String.join("; ", differences);
            if (!store.isDone(ON_HOLD_SCOPE, purchaseId)) {
                LOG.warn("Avarda purchase {} differs from shop order {}: {}", purchaseId, shopOrder.reference(), reason);
                listener.onStateChange(new AvardaStateChange(Kind.ON_HOLD, payment, shopOrder, source, reason));
                store.markDone(ON_HOLD_SCOPE, purchaseId, clock.instant());
            }
            return new AvardaConfirmation(purchaseId, Result.ON_HOLD, payment.step(),
                    "shop order " + shopOrder.reference() + " on hold: " + reason);
        }
        listener.onStateChange(new AvardaStateChange(Kind.PAID, payment, shopOrder, source, ""));
        if (!store.markDone(PAID_SCOPE, purchaseId, clock.instant())) {
            LOG.warn("Avarda purchase {} was marked paid elsewhere meanwhile: share locks or make the listener idempotent",
                    purchaseId);
        }
        String detail = "Avarda purchase " + purchaseId + " completed: shop order " + shopOrder.reference() + " reported paid";
        if (source == Source.NOTIFICATION) {
            LOG.warn("{} by the notification: the shopper's browser never confirmed it", detail);
            detail += " by the notification (the browser never confirmed it)";
        }
        return new AvardaConfirmation(purchaseId, Result.PAID, payment.step(), detail);
    }

    private List<String> differences(AvardaPayment payment, AvardaShopOrder shopOrder) {
        List<String> differences = new ArrayList<>();
        if (!payment.currency().isEmpty() && !payment.currency().equalsIgnoreCase(shopOrder.currency())) {
            differences.add("currency " + Checks.printable(payment.currency()) + " at Avarda, " + shopOrder.currency()
                    + " in the shop");
        }
        if (payment.totalPrice().subtract(shopOrder.total()).abs().compareTo(amountTolerance) > 0) {
            differences.add("total " + payment.totalPrice().toPlainString() + " at Avarda, "
                    + shopOrder.total().toPlainString() + " in the shop");
        }
        return differences;
    }

    /** Builds {@link AvardaCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private AvardaEnvironment environment;
        private AvardaCredentials credentials;
        private URI apiBaseUri;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private boolean httpSettingsGiven;
        private AvardaApi api;
        private AvardaOrders orders;
        private AvardaListener listener;
        private DelayedActionScheduler scheduler;
        private Clock clock = Clock.systemUTC();
        private KeyedLocks locks = new InMemoryKeyedLocks();
        private IdempotencyStore store = new InMemoryIdempotencyStore();
        private Duration processingDelay = DEFAULT_PROCESSING_DELAY;
        private BigDecimal amountTolerance = DEFAULT_AMOUNT_TOLERANCE;
        private String authorization;

        private Builder() {
        }

        /** Stage or production; required with credentials, so test credentials never meet live purchases by default. */
        public Builder environment(AvardaEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            httpSettingsGiven = true;
            return this;
        }

        /** The Checkout 3 client credentials; required unless {@link #api(AvardaApi)} is given. */
        public Builder credentials(AvardaCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            httpSettingsGiven = true;
            return this;
        }

        /**
         * Another API base than the environment's: a proxy, or a loopback fake in tests. Plain http
         * only on loopback, since the client secret and tokens travel with the calls.
         *
         * @throws IllegalArgumentException unless an absolute https URI, or http on 127.0.0.1, localhost or [::1]
         */
        public Builder apiBaseUri(URI apiBaseUri) {
            String scheme = Objects.requireNonNull(apiBaseUri, "apiBaseUri").getScheme();
            String host = apiBaseUri.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (host == null || !("https".equals(scheme) || "http".equals(scheme) && loopback)) {
                throw new IllegalArgumentException("API base must be an absolute https URI (http on loopback only): "
                        + apiBaseUri);
            }
            this.apiBaseUri = apiBaseUri;
            httpSettingsGiven = true;
            return this;
        }

        /**
         * How long to wait for a connection to Avarda; default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            httpSettingsGiven = true;
            return this;
        }

        /**
         * How long to wait for each whole answer from Avarda; default 10 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            httpSettingsGiven = true;
            return this;
        }

        /** The API to call instead of one built from the settings above, e.g. an in-process fake. */
        public Builder api(AvardaApi api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        /** How the shop's order is found; required. */
        public Builder orders(AvardaOrders orders) {
            this.orders = Objects.requireNonNull(orders, "orders");
            return this;
        }

        /** Told of paid and held orders; required. */
        public Builder listener(AvardaListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Runs the delayed actions; the module registers {@value AvardaCallbacks#ACTION_TYPE} on it. Required. */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The clock of delays, tokens and idempotency records; default system UTC. It should be the scheduler's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Serialises the browser and the notification per purchase; default in-memory (one JVM). */
        public Builder locks(KeyedLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /** Remembers what was reported; default in-memory, lost on restart: pass a durable one in production. */
        public Builder idempotencyStore(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * How long after a notification the purchase is read; default 120 s, so that the shopper's
         * own return is usually first. Zero reads at once.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder processingDelay(Duration delay) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("processing delay must not be negative: " + delay);
            }
            this.processingDelay = delay;
            return this;
        }

        /**
         * How far Avarda's total may differ from the shop's and still match (rounding); default 0.01.
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
            if (headerValue == null || headerValue.isBlank()) {
                throw new IllegalArgumentException("the Authorization value must not be blank");
            }
            this.authorization = headerValue;
            return this;
        }

        /**
         * The path below the servlet's mount point; default {@value AvardaCallbacks#DEFAULT_PATH}.
         *
         * @throws IllegalArgumentException if not a valid endpoint path
         */
        public Builder path(String path) {
            CallbackEndpoint.builder(PROVIDER, KIND).path(path); // validates
            this.path = path;
            return this;
        }

        /**
         * Builds the module and registers {@value AvardaCallbacks#ACTION_TYPE} on the scheduler.
         *
         * @throws IllegalStateException without orders, listener or scheduler; without credentials
         *     when no API is given, or credentials without an environment or base URI; with an API
         *     and HTTP settings it would ignore; or when the scheduler already has the action type
         */
        public AvardaCallbacks build() {
            if (orders == null || listener == null || scheduler == null) {
                throw new IllegalStateException("orders, listener and scheduler are required");
            }
            if (api != null) {
                if (httpSettingsGiven) {
                    throw new IllegalStateException(
                            "an API was given, so environment, credentials, base URI and timeouts would be ignored");
                }
                return new AvardaCallbacks(this, api);
            }
            if (credentials == null) {
                throw new IllegalStateException("credentials are required unless an API is given");
            }
            if (environment == null && apiBaseUri == null) {
                throw new IllegalStateException("environment is required: STAGE or PRODUCTION");
            }
            URI base = apiBaseUri != null ? apiBaseUri : environment.baseUri();
            return new AvardaCallbacks(this, new AvardaHttpApi(base, credentials, connectTimeout, readTimeout, clock));
        }

        private static Duration positive(Duration timeout, String name) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + timeout);
            }
            return timeout;
        }
    }
}
