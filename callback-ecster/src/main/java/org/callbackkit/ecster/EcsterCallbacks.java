package org.callbackkit.ecster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.callbackkit.core.ActionContext;
import org.callbackkit.core.ActionResult;
import org.callbackkit.core.CallbackEndpoint;
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
import org.callbackkit.ecster.EcsterConfirmation.Result;
import org.callbackkit.ecster.EcsterStateChange.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Ecster Pay's order event notifications and finishes the shop's order from them, exactly
 * once, also when the shopper paid in another app (Swish, BankID) and never came back.
 *
 * <pre>{@code
 * EcsterCallbacks ecster = EcsterCallbacks.builder()
 *         .environment(EcsterEnvironment.LIVE)
 *         .credentials(new EcsterCredentials(apiKey, merchantKey))
 *         .sharedHeader("X-Shop-Notification", headerValueAgreedWithEcster)   // optional
 *         .orders(shopLookup)                 // by Ecster order id, then by temporary reference
 *         .listener(change -> shop.apply(change))
 *         .scheduler(scheduler)
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(ecster.endpoints()).build();
 * String notificationUrl = ecster.notificationUrl("https://shop.example/callbacks", cartReference);
 * // on the return page: ecster.confirmOrder(ecsterOrderId)
 * }</pre>
 *
 * <p><b>The notification</b> ({@code POST} JSON {@code orderId}, {@code orderReference},
 * {@code status}, {@code time}, {@code event}) is only a signal. It is answered 200 as soon as a
 * delayed action of type {@value #ACTION_TYPE}, keyed by the Ecster order, is scheduled
 * {@link Builder#processingDelay(Duration) 120 s} later (so that it does not race the shopper's
 * own confirmation); more notifications for that order while it waits are the same action, which
 * reads the latest state. Answers: 200 accepted or already pending; 400 for a body that is not
 * such JSON; 403 for a missing or wrong shared header; 405, 413 and 415 from the router. A
 * scheduler that cannot store the action makes the router answer 503, and Ecster re-sends in 2 h.
 *
 * <p><b>The action</b> (and {@link #confirmOrder(String)}, under the same per-order lock) finds
 * the shop's order ({@link EcsterOrderLookup}), reads Ecster's order from the API, and reports the
 * change to the {@link EcsterListener}: paid at most once per order (guarded by the shop's own
 * paid flag and the {@link IdempotencyStore}), other statuses once each, a paid order never
 * cancelled or failed afterwards. API failures that may pass (5xx, 429, timeouts) and a shop order
 * that does not exist yet are retried on {@link #ACTION_RETRY_SCHEDULE}; when the shop order never
 * appears the action ends dead with the reason, unless an {@link EcsterOrderCreator} creates it.
 */
public final class EcsterCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(EcsterCallbacks.class);
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final List<String> OPTIONAL_TEXT_FIELDS = List.of("orderReference", "status", "time", "event");

    /** The provider name journaled. */
    public static final String PROVIDER = "ecster";
    /** The callback kind journaled. */
    public static final String KIND = "notification";
    /** Where the endpoint is mounted below the servlet unless told otherwise. */
    public static final String DEFAULT_PATH = "/ecster/notification";
    /** The delayed action type registered on the scheduler. */
    public static final String ACTION_TYPE = "ecster.notification";
    /** The idempotency scope of orders reported paid. */
    public static final String PAID_SCOPE = "ecster.paid";
    /** The idempotency scope of other statuses reported, keyed {@code orderId/status}. */
    public static final String STATUS_SCOPE = "ecster.status";
    /** The query parameter of the notification URL that carries the shop's temporary reference. */
    public static final String TEMPORARY_REFERENCE_PARAMETER = "temporaryReference";
    /** How long after a notification its order is read, unless told otherwise: 120 s, as the plugin does. */
    public static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofSeconds(120);
    /**
     * How Ecster re-sends a notification not answered 200: 2 hours apart, 24 times (Ecster's
     * "Order Event Notification" documentation; whether 24 counts the first is not said).
     */
    public static final RetrySchedule RETRY_SCHEDULE = RetrySchedule.fixed(Duration.ofHours(2), 24);
    /**
     * How the action retries API failures and a shop order not created yet: soon at first, then
     * every 2 hours for as long as Ecster itself would re-send (48 h).
     */
    public static final RetrySchedule ACTION_RETRY_SCHEDULE = RetrySchedule
            .ofDelays(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
                    Duration.ofHours(1))
            .thenEvery(Duration.ofHours(2), Duration.ofHours(48));

    private final String path;
    private final EcsterApi api;
    private final EcsterOrderLookup lookup;
    private final EcsterOrderCreator creator;
    private final EcsterListener listener;
    private final DelayedActionScheduler scheduler;
    private final Clock clock;
    private final KeyedLocks locks;
    private final IdempotencyStore store;
    private final Duration processingDelay;
    private final String headerName;
    private final byte[] headerDigest;

    private EcsterCallbacks(Builder builder, EcsterApi api) {
        this.path = builder.path;
        this.api = api;
        this.lookup = builder.lookup;
        this.creator = builder.creator;
        this.listener = builder.listener;
        this.scheduler = builder.scheduler;
        this.clock = builder.clock;
        this.locks = builder.locks;
        this.store = builder.store;
        this.processingDelay = builder.processingDelay;
        this.headerName = builder.headerName;
        this.headerDigest = builder.headerValue == null ? null : Checks.sha256(builder.headerValue);
        scheduler.register(ACTION_TYPE, this::run, ACTION_RETRY_SCHEDULE);
    }

    /** A builder: orders, listener, scheduler, and credentials (with an environment) or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to mount: POST {@value #DEFAULT_PATH} (JSON) unless another path was given. */
    public List<CallbackEndpoint> endpoints() {
        CallbackEndpoint.Builder endpoint = CallbackEndpoint.builder(PROVIDER, KIND)
                .path(path)
                .methods("POST")
                .contentTypes("application/json")
                .retrySchedule(RETRY_SCHEDULE)
                .handler(this::handle);
        if (headerName != null) {
            endpoint.redact(headerName);
        }
        return List.of(endpoint.build());
    }

    /**
     * The {@code notificationUrl} to give Ecster when creating the cart: {@code mountUrl} (where the
     * callback servlet is mounted, e.g. {@code https://shop.example/callbacks}) plus the endpoint
     * path and, when given, the shop's temporary reference for this cart, which
     * {@link EcsterOrderLookup#findByTemporaryReference} receives.
     *
     * @param temporaryReference the shop's reference for the cart, or null
     * @throws IllegalArgumentException unless {@code mountUrl} is an absolute http(s) URL without
     *     query, and the reference (if any) is 1-128 of A-Z, a-z, 0-9, '.', '_', '~', '-'
     */
    public String notificationUrl(String mountUrl, String temporaryReference) {
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
        String base = mountUrl.endsWith("/") ? mountUrl.substring(0, mountUrl.length() - 1) : mountUrl;
        if (temporaryReference == null) {
            return base + path;
        }
        Checks.requireId(temporaryReference, "temporary reference");
        return base + path + "?" + TEMPORARY_REFERENCE_PARAMETER + "="
                + URLEncoder.encode(temporaryReference, StandardCharsets.UTF_8);
    }

    /**
     * Reads the Ecster order now and applies it to the shop's order, for the shopper's return page:
     * the same decision as the notification's delayed action, under the same per-order lock, so
     * whichever comes second finds the work done. Link the Ecster order id to the shop's order
     * first, so that {@link EcsterOrderLookup#findByEcsterOrderId} finds it.
     *
     * @throws IllegalArgumentException if the id is not an Ecster order id
     * @throws EcsterApiException if Ecster's API cannot be read ({@link EcsterApiException#retryable()} says whether to try again)
     * @throws RuntimeException whatever the lookup or the listener threw; nothing was recorded then
     */
    public EcsterConfirmation confirmOrder(String ecsterOrderId) {
        Checks.requireId(ecsterOrderId, "Ecster order id");
        return read(ecsterOrderId, null, Source.BROWSER);
    }

    // ---- the notification ------------------------------------------------------------------

    private CallbackResponse handle(CallbackRequest request) {
        authenticate(request);
        Notification notification = Notification.parse(request);
        String temporaryReference = temporaryReference(request);
        ObjectNode payload = Checks.MAPPER.createObjectNode();
        if (temporaryReference != null) {
            payload.put(TEMPORARY_REFERENCE_PARAMETER, temporaryReference);
        }
        Instant runAt = clock.instant().plus(processingDelay);
        boolean scheduled = scheduler.schedule(new DelayedAction(ACTION_TYPE, notification.orderId(), payload.toString(),
                runAt));
        String detail = "order " + notification.orderId() + " " + notification.describe()
                + (scheduled ? ": will be read from Ecster at " + runAt : ": collapsed into the action already pending");
        return scheduled ? CallbackResponse.ok().withDetail(detail) : CallbackResponse.duplicate().withDetail(detail);
    }

    /** The shared header, compared as SHA-256 digests in constant time whatever the lengths. */
    private void authenticate(CallbackRequest request) {
        if (headerName == null) {
            return;
        }
        List<String> given = request.headers().all(headerName);
        if (given.isEmpty()) {
            throw new UnauthenticatedCallbackException("missing " + headerName + " header");
        }
        if (given.size() > 1 || !Checks.sameDigest(headerDigest, given.get(0))) {
            throw new UnauthenticatedCallbackException("wrong " + headerName + " header");
        }
    }

    private static String temporaryReference(CallbackRequest request) {
        List<String> values = request.query().getOrDefault(TEMPORARY_REFERENCE_PARAMETER, List.of());
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 || !Checks.isId(values.get(0))) {
            throw new InvalidCallbackException(TEMPORARY_REFERENCE_PARAMETER + " is malformed");
        }
        return values.get(0);
    }

    /** What the notification said; only the order id is acted on, the rest is for the journal. */
    private record Notification(String orderId, String status, String event) {

        static Notification parse(CallbackRequest request) {
            JsonNode body;
            try {
                body = Checks.MAPPER.readTree(request.bodyStream());
            } catch (JsonProcessingException | NumberFormatException e) {
                // Jackson reports a decimal it cannot hold, such as 1e99999999999999, as NumberFormatException
                throw new InvalidCallbackException("body is not valid JSON");
            } catch (IOException e) {
                throw new InvalidCallbackException("body could not be read");
            }
            if (body == null || !body.isObject()) {
                throw new InvalidCallbackException("body must be a JSON object");
            }
            JsonNode orderId = body.get("orderId");
            if (orderId == null || orderId.isNull()) {
                throw new InvalidCallbackException("orderId is missing");
            }
            if (!orderId.isTextual() || !Checks.isId(orderId.textValue())) {
                throw new InvalidCallbackException("orderId must be an Ecster order id string");
            }
            for (String field : OPTIONAL_TEXT_FIELDS) {
                JsonNode value = body.get(field);
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw new InvalidCallbackException(field + " must be a string");
                }
            }
            return new Notification(orderId.textValue(), Checks.text(body, "status"), Checks.text(body, "event"));
        }

        String describe() {
            return "(status " + (status.isEmpty() ? "-" : Checks.printable(status)) + ", event "
                    + (event.isEmpty() ? "-" : Checks.printable(event)) + ")";
        }
    }

    // ---- the delayed action and the browser: one decision ------------------------------------

    private ActionResult run(ActionContext context) throws IOException {
        String ecsterOrderId = context.key();
        String temporaryReference = Checks.text(Checks.MAPPER.readTree(context.payload()), TEMPORARY_REFERENCE_PARAMETER);
        EcsterConfirmation confirmation;
        try {
            confirmation = read(ecsterOrderId, temporaryReference.isEmpty() ? null : temporaryReference,
                    Source.NOTIFICATION);
        } catch (EcsterApiException e) {
            return e.retryable() ? retryLater(context, e.getMessage()) : ActionResult.giveUp(e.getMessage());
        }
        if (confirmation.result() != Result.SHOP_ORDER_NOT_FOUND) {
            return ActionResult.done();
        }
        EcsterOrderState state = EcsterOrderState.of(confirmation.ecsterStatus());
        if (state == EcsterOrderState.CANCELLED || state == EcsterOrderState.FAILED) {
            LOG.info("{}; nothing to cancel", confirmation.detail());
            return ActionResult.done();
        }
        return retryLater(context, confirmation.detail());
    }

    private static ActionResult retryLater(ActionContext context, String reason) {
        return ActionResult.retryAfter(ACTION_RETRY_SCHEDULE.nextAttemptAfter(context.attempt()).orElse(Duration.ZERO),
                reason);
    }

    private EcsterConfirmation read(String ecsterOrderId, String temporaryReference, Source source) {
        return locks.withLock(PROVIDER + ":" + ecsterOrderId, () -> {
            Optional<EcsterShopOrder> found = find(ecsterOrderId, temporaryReference);
            if (found.isPresent() && isPaid(ecsterOrderId, found.get())) {
                return new EcsterConfirmation(ecsterOrderId, Result.ALREADY_PAID, "",
                        "shop order " + found.get().reference() + " is already paid; Ecster not asked");
            }
            EcsterOrder order = api.getOrder(ecsterOrderId);
            if (found.isEmpty() && creator != null && order.state() == EcsterOrderState.PAID) {
                found = Optional.of(creator.create(order));
                LOG.warn("Created shop order {} from Ecster order {} ({}): backup order creation",
                        found.get().reference(), ecsterOrderId, Checks.printable(order.status()));
            }
            if (found.isEmpty()) {
                return new EcsterConfirmation(ecsterOrderId, Result.SHOP_ORDER_NOT_FOUND, order.status(),
                        "the shop has no order for Ecster order " + ecsterOrderId + " (Ecster status "
                                + Checks.printable(order.status()) + "), looked up by Ecster order id"
                                + (temporaryReference == null ? "" : " and temporary reference " + temporaryReference));
            }
            return apply(order, found.get(), source);
        });
    }

    private Optional<EcsterShopOrder> find(String ecsterOrderId, String temporaryReference) {
        Optional<EcsterShopOrder> found = lookup.findByEcsterOrderId(ecsterOrderId);
        return found.isPresent() || temporaryReference == null ? found : lookup.findByTemporaryReference(temporaryReference);
    }

    private boolean isPaid(String ecsterOrderId, EcsterShopOrder shopOrder) {
        return shopOrder.paid() || store.isDone(PAID_SCOPE, ecsterOrderId);
    }

    /** Reports the order's change once: paid at most once, every other status once per order. */
    private EcsterConfirmation apply(EcsterOrder order, EcsterShopOrder shopOrder, Source source) {
        String id = order.id();
        String status = Checks.printable(order.status());
        EcsterOrderState state = order.state();
        EcsterStateChange change = new EcsterStateChange(state, order, shopOrder, source);
        if (state == EcsterOrderState.PAID) {
            listener.onStateChange(change);
            if (!store.markDone(PAID_SCOPE, id, clock.instant())) {
                LOG.warn("Ecster order {} was marked paid elsewhere meanwhile: share locks or make the listener idempotent",
                        id);
            }
            String detail = "Ecster says " + status + ": shop order " + shopOrder.reference() + " reported paid";
            if (source == Source.NOTIFICATION) {
                LOG.warn("{} by the notification: the shopper's browser never confirmed it", detail);
                detail += " by the notification (the browser never confirmed it)";
            }
            return new EcsterConfirmation(id, Result.PAID, order.status(), detail);
        }
        String key = id + "/" + status;
        boolean reported = !store.isDone(STATUS_SCOPE, key);
        if (reported) {
            listener.onStateChange(change);
            store.markDone(STATUS_SCOPE, key, clock.instant());
        }
        Result result = switch (state) {
            case CANCELLED -> Result.CANCELLED;
            case FAILED -> Result.FAILED;
            case PARTIALLY_DELIVERED -> Result.PARTIALLY_DELIVERED;
            case PENDING -> Result.PENDING;
            default -> Result.UNKNOWN_STATUS;
        };
        return new EcsterConfirmation(id, result, order.status(), "Ecster says " + status + " for shop order "
                + shopOrder.reference() + (reported ? ": reported " : ": already reported ") + state);
    }

    /** Builds {@link EcsterCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private EcsterEnvironment environment;
        private EcsterCredentials credentials;
        private URI apiBaseUri;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private boolean httpSettingsGiven;
        private EcsterApi api;
        private EcsterOrderLookup lookup;
        private EcsterOrderCreator creator;
        private EcsterListener listener;
        private DelayedActionScheduler scheduler;
        private Clock clock = Clock.systemUTC();
        private KeyedLocks locks = new InMemoryKeyedLocks();
        private IdempotencyStore store = new InMemoryIdempotencyStore();
        private Duration processingDelay = DEFAULT_PROCESSING_DELAY;
        private String headerName;
        private String headerValue;

        private Builder() {
        }

        /** Labs or live; required with credentials, so test keys never meet live orders by default. */
        public Builder environment(EcsterEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            httpSettingsGiven = true;
            return this;
        }

        /** The API keys; required unless {@link #api(EcsterApi)} is given. */
        public Builder credentials(EcsterCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            httpSettingsGiven = true;
            return this;
        }

        /**
         * Another API base than the environment's: a proxy, or a loopback fake in tests. Plain http
         * only on loopback, since the keys travel with every call.
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
         * How long to wait for a connection to Ecster; default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            httpSettingsGiven = true;
            return this;
        }

        /**
         * How long to wait for each whole answer from Ecster; default 10 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            httpSettingsGiven = true;
            return this;
        }

        /** The API to call instead of one built from the settings above, e.g. an in-process fake. */
        public Builder api(EcsterApi api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        /** How the shop's order is found; required. */
        public Builder orders(EcsterOrderLookup lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /** Opt in to creating the shop order from a paid Ecster order the shop does not know; default none. */
        public Builder orderCreator(EcsterOrderCreator creator) {
            this.creator = Objects.requireNonNull(creator, "creator");
            return this;
        }

        /** Told of every change; required. */
        public Builder listener(EcsterListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Runs the delayed actions; the module registers {@value EcsterCallbacks#ACTION_TYPE} on it. Required. */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The clock of delays and idempotency records; default system UTC. It should be the scheduler's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Serialises the browser and the notification per order; default in-memory (one JVM). */
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
         * How long after a notification the order is read; default 120 s, so that the shopper's own
         * return is usually first. Zero reads at once.
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
         * The custom header Ecster is configured to send with each notification, and its value;
         * compared in constant time, a mismatch answered 403. The value is a secret: keep it in
         * configuration, make it long and random. Default: no check.
         *
         * @throws IllegalArgumentException if the name is not an HTTP header name or the value is blank
         */
        public Builder sharedHeader(String name, String value) {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an HTTP header name: " + name);
            }
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the shared header value must not be blank");
            }
            this.headerName = name;
            this.headerValue = value;
            return this;
        }

        /**
         * The path below the servlet's mount point; default {@value EcsterCallbacks#DEFAULT_PATH}.
         *
         * @throws IllegalArgumentException if not a valid endpoint path
         */
        public Builder path(String path) {
            CallbackEndpoint.builder(PROVIDER, KIND).path(path); // validates
            this.path = path;
            return this;
        }

        /**
         * Builds the module and registers {@value EcsterCallbacks#ACTION_TYPE} on the scheduler.
         *
         * @throws IllegalStateException without orders, listener or scheduler; without credentials
         *     when no API is given, or credentials without an environment or base URI; with an API
         *     and HTTP settings it would ignore; or when the scheduler already has the action type
         */
        public EcsterCallbacks build() {
            if (lookup == null || listener == null || scheduler == null) {
                throw new IllegalStateException("orders, listener and scheduler are required");
            }
            if (api != null) {
                if (httpSettingsGiven) {
                    throw new IllegalStateException(
                            "an API was given, so environment, credentials, base URI and timeouts would be ignored");
                }
                return new EcsterCallbacks(this, api);
            }
            if (credentials == null) {
                throw new IllegalStateException("credentials are required unless an API is given");
            }
            if (environment == null && apiBaseUri == null) {
                throw new IllegalStateException("environment is required: LABS or LIVE");
            }
            URI base = apiBaseUri != null ? apiBaseUri : environment.baseUri();
            return new EcsterCallbacks(this, new EcsterHttpApi(base, credentials, connectTimeout, readTimeout));
        }

        private static Duration positive(Duration timeout, String name) {
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + timeout);
            }
            return timeout;
        }
    }
}
