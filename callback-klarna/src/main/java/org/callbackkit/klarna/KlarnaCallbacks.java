package org.callbackkit.klarna;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.callbackkit.core.ActionContext;
import org.callbackkit.core.ActionResult;
import org.callbackkit.core.CallbackEndpoint;
import org.callbackkit.core.CallbackJournal;
import org.callbackkit.core.CallbackOutcome;
import org.callbackkit.core.CallbackRequest;
import org.callbackkit.core.CallbackResponse;
import org.callbackkit.core.DelayedAction;
import org.callbackkit.core.DelayedActionScheduler;
import org.callbackkit.core.IdempotencyStore;
import org.callbackkit.core.InMemoryIdempotencyStore;
import org.callbackkit.core.InMemoryKeyedLocks;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.JournalEntry;
import org.callbackkit.core.KeyedLocks;
import org.callbackkit.core.RetrySchedule;
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
 *         .validator(order -> KlarnaCheckoutAnswer.approve())
 *         .scheduler(scheduler).journal(journal).clock(clock)
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).build();
 * Map<String, String> merchantUrls = klarna.merchantUrls("https://shop.example/callbacks");
 * // on the confirmation page: klarna.confirmOrder(klarnaOrderId)
 * }</pre>
 *
 * <p><b>Push.</b> Answered 200 at once; the work is a delayed action of type
 * {@code <provider>.push} keyed by order id, so a burst of pushes is one action. The action
 * re-reads the order from Order Management (callbacks are not signed: the API is the proof),
 * asks the {@link KlarnaShop} for its order, compares total (one minor unit of rounding allowed),
 * currency and lines, confirms it in the shop once, acknowledges it to Klarna and sets the
 * shop's order number as {@code merchant_reference1}. A mismatch is not acknowledged (Klarna keeps
 * pushing) and the action ends dead with the differences; a missing shop order and API failures
 * are retried with backoff. After acknowledgement, pushes are answered as duplicates with no call
 * at all. {@link #confirmOrder(String)} runs the same confirmation for the browser, under the same
 * per-order lock, so the two never both confirm.
 *
 * <p><b>Validation</b> and the <b>checkout updates</b> are answered synchronously by the host's
 * {@link KlarnaValidator} and {@link KlarnaCheckoutUpdates} within a deadline (2.5 s by default;
 * Klarna waits about 3 s), else a fallback answer. <b>Notifications</b> are answered 200 and
 * re-read from Order Management later; the shop hears of each fraud decision once.
 *
 * <p>Owns a small thread pool for the deadlines: {@link #close()} it with the shop.
 */
public final class KlarnaCallbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaCallbacks.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Klarna order ids are UUIDs; anything far from that is refused before it reaches the API. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String PLACEHOLDER = "{checkout.order.id}";

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
    private final String provider;
    private final String pathPrefix;
    private final KlarnaEnvironment environment;
    private final KlarnaApi api;
    private final KlarnaShop shop;
    private final KlarnaValidator validator;
    private final KlarnaCheckoutUpdates updates;
    private final DelayedActionScheduler scheduler;
    private final CallbackJournal journal;
    private final Clock clock;
    private final KeyedLocks locks;
    private final IdempotencyStore store;
    private final Duration deadline;
    private final KlarnaCheckoutAnswer validationFallback;
    private final ExecutorService checkoutCallbacks;

    private KlarnaCallbacks(Builder builder, KlarnaApi api) {
        this.flavour = builder.flavour;
        this.provider = builder.flavour.provider();
        this.pathPrefix = builder.pathPrefix == null ? "/" + provider : builder.pathPrefix;
        this.environment = builder.environment;
        this.api = api;
        this.shop = builder.shop;
        this.validator = builder.validator;
        this.updates = builder.updates;
        this.scheduler = builder.scheduler;
        this.journal = builder.journal;
        this.clock = builder.clock;
        this.locks = builder.locks;
        this.store = builder.store;
        this.deadline = builder.deadline;
        this.validationFallback = builder.validationFallback;
        this.checkoutCallbacks = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, provider + "-checkout-callback");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.register(pushActionType(), this::runPush, ACTION_RETRY_SCHEDULE);
        scheduler.register(notificationActionType(), this::runNotification, ACTION_RETRY_SCHEDULE);
    }

    /** A builder; environment, shop, scheduler, journal, and credentials or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Klarna or Kustom. */
    public KlarnaFlavour flavour() {
        return flavour;
    }

    /** The delayed action type of push work: {@code klarna.push} or {@code kustom.push}. */
    public String pushActionType() {
        return provider + ".push";
    }

    /** The delayed action type of notification work: {@code klarna.notification} or {@code kustom.notification}. */
    public String notificationActionType() {
        return provider + ".notification";
    }

    /**
     * The endpoints to mount: push and notification always; validation with a validator; the
     * three checkout updates with {@link Builder#checkoutUpdates}. Paths are
     * {@code /<provider>/<kind>/{orderId}} below the servlet's mount point.
     */
    public List<CallbackEndpoint> endpoints() {
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        endpoints.add(endpoint(PUSH, PUSH_RETRY_SCHEDULE).handler(this::push).build());
        // Klarna does not document how it re-sends a notification; none is assumed.
        endpoints.add(endpoint(NOTIFICATION, RetrySchedule.none()).contentTypes("application/json")
                .handler(this::notification).build());
        if (validator != null) {
            endpoints.add(endpoint(VALIDATION, RetrySchedule.none()).contentTypes("application/json")
                    .handler(this::validation).build());
        }
        if (updates != null) {
            endpoints.add(endpoint(SHIPPING_OPTION_UPDATE, RetrySchedule.none()).contentTypes("application/json")
                    .handler(request -> checkoutUpdate(request, SHIPPING_OPTION_UPDATE)).build());
            endpoints.add(endpoint(ADDRESS_UPDATE, RetrySchedule.none()).contentTypes("application/json")
                    .handler(request -> checkoutUpdate(request, ADDRESS_UPDATE)).build());
            endpoints.add(endpoint(COUNTRY_CHANGE, RetrySchedule.none()).contentTypes("application/json")
                    .handler(request -> checkoutUpdate(request, COUNTRY_CHANGE)).build());
        }
        return List.copyOf(endpoints);
    }

    /**
     * The {@code merchant_urls} entries for the mounted endpoints (push, notification, and
     * validation and updates when configured), with Klarna's {@code {checkout.order.id}}
     * placeholder, ready to put in the create-order request beside the shop's own terms,
     * checkout and confirmation URLs.
     *
     * @param mountUrl the public URL the callback servlet is mounted at, e.g. {@code https://shop.example/callbacks}
     * @throws IllegalArgumentException unless an absolute URL without query or fragment; in
     *     {@link KlarnaEnvironment#LIVE} unless https
     */
    public Map<String, String> merchantUrls(String mountUrl) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(mountUrl, "mountUrl"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + mountUrl, e);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("mount URL must be an absolute http(s) URL: " + mountUrl);
        }
        if (environment == KlarnaEnvironment.LIVE && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Klarna calls live callbacks over https only: " + mountUrl);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("mount URL must have no query or fragment: " + mountUrl);
        }
        String base = mountUrl.endsWith("/") ? mountUrl.substring(0, mountUrl.length() - 1) : mountUrl;
        Map<String, String> urls = new LinkedHashMap<>();
        for (CallbackEndpoint endpoint : endpoints()) {
            urls.put(endpoint.kind(), base + endpoint.path().replace("{orderId}", PLACEHOLDER));
        }
        return Collections.unmodifiableMap(urls);
    }

    /**
     * Confirms an order from the shopper's confirmation page: the same steps as a push (re-read
     * from Order Management, compare, confirm in the shop once, acknowledge, set the reference),
     * under the same per-order lock, so whichever comes second finds the work done. When an API
     * call fails with a retryable error, the push work is scheduled so the order is finished in
     * the background, and the error is thrown for the page to say "we are processing your order".
     *
     * @throws IllegalArgumentException if {@code orderId} is not a Klarna order id
     * @throws KlarnaApiException if Order Management fails
     */
    public KlarnaConfirmation confirmOrder(String orderId) {
        requireOrderId(orderId);
        try {
            return confirm(orderId, ConfirmationSource.BROWSER);
        } catch (KlarnaApiException e) {
            if (e.retryable()) {
                scheduler.schedule(new DelayedAction(pushActionType(), orderId, "{}", clock.instant()));
            }
            throw e;
        }
    }

    /** Whether this module acknowledged the order to Klarna. */
    public boolean isAcknowledged(String orderId) {
        return store.isDone(acknowledgedScope(), orderId);
    }

    /** Stops the threads that run validators and checkout updates within their deadline. */
    @Override
    public void close() {
        checkoutCallbacks.shutdownNow();
    }

    private CallbackEndpoint.Builder endpoint(String kind, RetrySchedule retries) {
        return CallbackEndpoint.builder(provider, kind)
                .path(pathPrefix + "/" + kind + "/{orderId}")
                .methods("POST")
                .retrySchedule(retries);
    }

    // ---- push -------------------------------------------------------------------------------

    private CallbackResponse push(CallbackRequest request) {
        String orderId = orderIdOf(request);
        if (isAcknowledged(orderId)) {
            return CallbackResponse.duplicate().withDetail("order " + orderId + " already acknowledged; nothing to do");
        }
        boolean scheduled = scheduler.schedule(new DelayedAction(pushActionType(), orderId, "{}", clock.instant()));
        return scheduled
                ? CallbackResponse.ok().withDetail("push for order " + orderId + " scheduled")
                : CallbackResponse.duplicate().withDetail("push for order " + orderId + " already pending");
    }

    private ActionResult runPush(ActionContext context) {
        String orderId = context.key();
        KlarnaConfirmation confirmation;
        try {
            confirmation = confirm(orderId, ConfirmationSource.PUSH);
        } catch (KlarnaApiException e) {
            return e.retryable() ? retryLater(context, e.getMessage()) : ActionResult.giveUp(e.getMessage());
        }
        return switch (confirmation.result()) {
            case CONFIRMED, ACKNOWLEDGED, ALREADY_ACKNOWLEDGED -> ActionResult.done();
            case MISMATCH -> ActionResult.giveUp(confirmation.detail());
            case SHOP_ORDER_NOT_FOUND -> retryLater(context, confirmation.detail());
        };
    }

    private KlarnaConfirmation confirm(String orderId, ConfirmationSource source) {
        return locks.withLock(provider + ":" + orderId, () -> {
            if (isAcknowledged(orderId)) {
                return store.isDone(referencesScope(), orderId)
                        ? new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.ALREADY_ACKNOWLEDGED,
                                "order " + orderId + " was acknowledged before")
                        : finishReferences(orderId);
            }
            KlarnaOrder order = api.getOrder(orderId);
            Optional<KlarnaShopOrder> found = shop.findOrder(orderId);
            if (found.isEmpty()) {
                return notFound(orderId);
            }
            KlarnaShopOrder shopOrder = found.get();
            List<String> differences = OrderComparison.differences(order, shopOrder);
            if (!differences.isEmpty()) {
                LOG.warn("{} order {} differs from shop order {}: {}", provider, orderId, shopOrder.reference(),
                        differences);
                shop.mismatch(order, shopOrder, differences);
                return new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.MISMATCH,
                        "not acknowledged: " + String.join("; ", differences));
            }
            boolean confirmedNow = !shopOrder.confirmed();
            if (confirmedNow) {
                shop.confirm(order, shopOrder, source);
            }
            api.acknowledge(orderId);
            store.markDone(acknowledgedScope(), orderId, clock.instant());
            if (confirmedNow && source == ConfirmationSource.PUSH) {
                pushCompleted(order, shopOrder);
            }
            if (order.merchantReference1().equals(Optional.of(shopOrder.reference()))) {
                store.markDone(referencesScope(), orderId, clock.instant());
            } else {
                setReferences(orderId, shopOrder);
            }
            return confirmedNow
                    ? new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.CONFIRMED,
                            "confirmed by " + source.name().toLowerCase(java.util.Locale.ROOT) + " as shop order "
                                    + shopOrder.reference() + " (fraud status " + order.fraudStatusValue() + ")")
                    : new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.ACKNOWLEDGED,
                            "shop order " + shopOrder.reference() + " was already confirmed; acknowledged");
        });
    }

    /** Acknowledged, but setting the merchant references failed before: only that is left to do. */
    private KlarnaConfirmation finishReferences(String orderId) {
        Optional<KlarnaShopOrder> found = shop.findOrder(orderId);
        if (found.isEmpty()) {
            return notFound(orderId);
        }
        setReferences(orderId, found.get());
        return new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.ALREADY_ACKNOWLEDGED,
                "order " + orderId + " was acknowledged before; merchant references set now");
    }

    private void setReferences(String orderId, KlarnaShopOrder shopOrder) {
        api.setMerchantReferences(orderId, shopOrder.reference(), null);
        store.markDone(referencesScope(), orderId, clock.instant());
    }

    private KlarnaConfirmation notFound(String orderId) {
        return new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.SHOP_ORDER_NOT_FOUND,
                "the shop has no order for " + provider + " order " + orderId + " yet");
    }

    private void pushCompleted(KlarnaOrder order, KlarnaShopOrder shopOrder) {
        String detail = "the push confirmed shop order " + shopOrder.reference() + " (" + provider + " order "
                + order.orderId() + "): the shopper's browser never reached the confirmation page";
        LOG.warn("{}", detail);
        journal.record(new JournalEntry(UUID.randomUUID().toString(), clock.instant(), provider, PUSH_COMPLETED,
                CallbackOutcome.ACCEPTED, 200, Duration.ZERO, "", "ACTION",
                pathPrefix + "/" + PUSH + "/" + order.orderId(), Map.of(), Map.of(), 0, detail));
        shop.completedByPush(order, shopOrder);
    }

    // ---- notification -----------------------------------------------------------------------

    private CallbackResponse notification(CallbackRequest request) {
        String pathOrderId = orderIdOf(request);
        JsonNode body = jsonObject(request);
        String orderId = text(body, "order_id");
        String eventType = text(body, "event_type");
        if (!orderId.equals(pathOrderId)) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        Optional<FraudEvent> event = FraudEvent.of(eventType);
        if (event.isEmpty()) {
            return CallbackResponse.ok().withDetail("unknown event_type " + printable(eventType) + " for order "
                    + orderId + ": recorded, not acted on");
        }
        String payload = MAPPER.createObjectNode().put("event_type", eventType).toString();
        boolean scheduled = scheduler.schedule(new DelayedAction(notificationActionType(), orderId, payload,
                clock.instant()));
        return CallbackResponse.ok().withDetail(eventType + " for order " + orderId
                + (scheduled ? ": fraud status will be re-read" : ": a re-read is already pending"));
    }

    private ActionResult runNotification(ActionContext context) {
        String orderId = context.key();
        FraudEvent event = FraudEvent.of(readPayload(context).path("event_type").asText())
                .orElseThrow(() -> new IllegalStateException("scheduled with a known event"));
        try {
            return locks.withLock(provider + ":" + orderId, () -> {
                KlarnaOrder order = api.getOrder(orderId);
                if (order.fraudStatus() == FraudStatus.PENDING) {
                    return retryLater(context, "Order Management still says fraud status PENDING after " + event);
                }
                String decision = orderId + ":" + order.fraudStatusValue();
                if (!store.isDone(fraudScope(), decision)) {
                    shop.fraudDecision(order, event);
                    store.markDone(fraudScope(), decision, clock.instant());
                }
                return ActionResult.done();
            });
        } catch (KlarnaApiException e) {
            return e.retryable() ? retryLater(context, e.getMessage()) : ActionResult.giveUp(e.getMessage());
        }
    }

    // ---- validation and checkout updates ----------------------------------------------------

    private CallbackResponse validation(CallbackRequest request) {
        KlarnaOrder order = orderOf(request);
        TimedAnswer answer = withinDeadline("validator", () -> validator.validate(order), validationFallback,
                order.orderId());
        return respond(answer.answer(), null, "validator " + answer.note());
    }

    private CallbackResponse checkoutUpdate(CallbackRequest request, String kind) {
        KlarnaOrder order = orderOf(request);
        Supplier<KlarnaCheckoutAnswer> call = switch (kind) {
            case SHIPPING_OPTION_UPDATE -> () -> updates.shippingOptionUpdate(order,
                    order.jsonTree().path("selected_shipping_option"));
            case ADDRESS_UPDATE -> () -> updates.addressUpdate(order);
            default -> () -> updates.countryChange(order);
        };
        TimedAnswer answer = withinDeadline(kind, call, KlarnaCheckoutAnswer.approve(), order.orderId());
        return respond(answer.answer(), order, kind + " " + answer.note());
    }

    /** An answer and how it came about, for the journal. */
    private record TimedAnswer(KlarnaCheckoutAnswer answer, String note) {
    }

    private TimedAnswer withinDeadline(String what, Supplier<KlarnaCheckoutAnswer> call, KlarnaCheckoutAnswer fallback,
            String orderId) {
        Future<KlarnaCheckoutAnswer> future = checkoutCallbacks.submit(call::get);
        try {
            KlarnaCheckoutAnswer answer = future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                LOG.warn("{} {} for order {} answered null; sent the fallback {}", provider, what, orderId, fallback);
                return new TimedAnswer(fallback, "answered nothing; fallback " + fallback);
            }
            return new TimedAnswer(answer, "answered " + answer);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("{} {} for order {} did not answer within {} ms; sent the fallback {}", provider, what, orderId,
                    deadline.toMillis(), fallback);
            return new TimedAnswer(fallback, "overran " + deadline.toMillis() + " ms; fallback " + fallback);
        } catch (ExecutionException e) {
            LOG.warn("{} {} for order {} threw; sent the fallback {}", provider, what, orderId, fallback, e.getCause());
            return new TimedAnswer(fallback, "threw " + e.getCause().getClass().getName() + "; fallback " + fallback);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new TimedAnswer(fallback, "interrupted; fallback " + fallback);
        }
    }

    /** {@code unchangedOrder} is echoed for an approved update; null for validation (an empty 200). */
    private static CallbackResponse respond(KlarnaCheckoutAnswer answer, KlarnaOrder unchangedOrder, String note) {
        CallbackResponse response = switch (answer.kind()) {
            case APPROVE -> unchangedOrder == null ? CallbackResponse.ok() : CallbackResponse.ok(unchangedOrder.json());
            case UPDATE -> unchangedOrder == null
                    ? CallbackResponse.ok()
                    : CallbackResponse.ok(answer.updatedOrder().orElseThrow().toString());
            case REDIRECT -> CallbackResponse.seeOther(answer.location().orElseThrow().toString());
            case REJECT -> CallbackResponse.json(400, MAPPER.createObjectNode()
                    .put("error_type", answer.errorType().orElseThrow().wireName())
                    .put("error_text", answer.errorText().orElseThrow())
                    .toString());
        };
        // A rejection or redirect is the shop's decision, not bad input: the callback was handled.
        return response.withOutcome(CallbackOutcome.ACCEPTED).withDetail(note);
    }

    // ---- parsing and helpers ----------------------------------------------------------------

    private KlarnaOrder orderOf(CallbackRequest request) {
        String pathOrderId = orderIdOf(request);
        KlarnaOrder order;
        try {
            order = KlarnaOrder.parse(request.bodyAsString());
        } catch (IllegalArgumentException e) {
            throw new InvalidCallbackException(e.getMessage());
        }
        if (!order.orderId().equals(pathOrderId)) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        return order;
    }

    private static String orderIdOf(CallbackRequest request) {
        String orderId = request.pathParameter("orderId").orElse("");
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw new InvalidCallbackException("the URL has no Klarna order id");
        }
        return orderId;
    }

    private static void requireOrderId(String orderId) {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw new IllegalArgumentException("not a Klarna order id: " + printable(String.valueOf(orderId)));
        }
    }

    private static JsonNode jsonObject(CallbackRequest request) {
        try {
            JsonNode node = MAPPER.readTree(request.bodyAsString());
            if (node == null || !node.isObject()) {
                throw new InvalidCallbackException("body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidCallbackException("body is not valid JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidCallbackException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private static JsonNode readPayload(ActionContext context) {
        try {
            return MAPPER.readTree(context.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload written by this module is JSON", e);
        }
    }

    private static ActionResult retryLater(ActionContext context, String reason) {
        return ActionResult.retryAfter(ACTION_RETRY_SCHEDULE.nextAttemptAfter(context.attempt()).orElse(Duration.ZERO),
                reason);
    }

    /** At most 64 printable ASCII characters of untrusted text, for the journal and logs. */
    private static String printable(String untrusted) {
        String cut = untrusted.length() > 64 ? untrusted.substring(0, 64) + "..." : untrusted;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private String acknowledgedScope() {
        return provider + ".acknowledged";
    }

    private String referencesScope() {
        return provider + ".merchant-references";
    }

    private String fraudScope() {
        return provider + ".fraud-decision";
    }

    /** Builds {@link KlarnaCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private KlarnaFlavour flavour = KlarnaFlavour.KLARNA;
        private KlarnaRegion region = KlarnaRegion.EU;
        private KlarnaEnvironment environment;
        private KlarnaCredentials credentials;
        private URI apiBaseUri;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private KlarnaApi api;
        private KlarnaShop shop;
        private KlarnaValidator validator;
        private KlarnaCheckoutUpdates updates;
        private DelayedActionScheduler scheduler;
        private CallbackJournal journal;
        private Clock clock = Clock.systemUTC();
        private KeyedLocks locks = new InMemoryKeyedLocks();
        private IdempotencyStore store = new InMemoryIdempotencyStore();
        private Duration deadline = Duration.ofMillis(2500);
        private KlarnaCheckoutAnswer validationFallback = KlarnaCheckoutAnswer.approve();
        private String pathPrefix;

        private Builder() {
        }

        /** Klarna (default) or Kustom: the API hosts and the provider name journaled. */
        public Builder flavour(KlarnaFlavour flavour) {
            this.flavour = Objects.requireNonNull(flavour, "flavour");
            return this;
        }

        /** The merchant account's region; default EU. */
        public Builder region(KlarnaRegion region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Playground or live; required, so test credentials never meet live money by default. */
        public Builder environment(KlarnaEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The API credentials; required unless {@link #api(KlarnaApi)} is given. */
        public Builder credentials(KlarnaCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Another API base than the flavour's (a proxy, or a loopback fake in tests).
         *
         * @throws IllegalArgumentException unless an absolute http(s) URI
         */
        public Builder apiBaseUri(URI apiBaseUri) {
            KlarnaHttpApi.builder().baseUri(apiBaseUri); // validates
            this.apiBaseUri = apiBaseUri;
            return this;
        }

        /**
         * API connect timeout; default 5 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            KlarnaHttpApi.builder().connectTimeout(timeout); // validates
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * API answer timeout; default 10 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder readTimeout(Duration timeout) {
            KlarnaHttpApi.builder().readTimeout(timeout); // validates
            this.readTimeout = timeout;
            return this;
        }

        /** The API to call instead of building a {@link KlarnaHttpApi}: a fake in tests. */
        public Builder api(KlarnaApi api) {
            this.api = Objects.requireNonNull(api, "api");
            return this;
        }

        /** The host shop: finds, confirms and holds orders. Required. */
        public Builder shop(KlarnaShop shop) {
            this.shop = Objects.requireNonNull(shop, "shop");
            return this;
        }

        /** Validates purchases; without one, no validation endpoint is mounted. */
        public Builder validator(KlarnaValidator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /** Recomputes the cart; without it, no update endpoints are mounted. */
        public Builder checkoutUpdates(KlarnaCheckoutUpdates updates) {
            this.updates = Objects.requireNonNull(updates, "updates");
            return this;
        }

        /**
         * How long validators and checkout updates may take before the fallback is sent; default
         * 2.5 s, under Klarna's 3 s.
         *
         * @throws IllegalArgumentException unless between 1 ms and 10 s
         */
        public Builder deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.compareTo(Duration.ofMillis(1)) < 0 || deadline.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("deadline must be between 1 ms and 10 s: " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * Sent when the validator throws or overruns; default approve (what Klarna itself does when
         * no answer comes within 3 s).
         *
         * @throws IllegalArgumentException for an update answer
         */
        public Builder validationFallback(KlarnaCheckoutAnswer fallback) {
            if (Objects.requireNonNull(fallback, "fallback").kind() == KlarnaCheckoutAnswer.Kind.UPDATE) {
                throw new IllegalArgumentException("a validation answers approve, redirect or reject");
            }
            this.validationFallback = fallback;
            return this;
        }

        /** Runs push and notification work; the module registers its action types on it. Required. */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where orders confirmed by a push are journaled (kind {@value KlarnaCallbacks#PUSH_COMPLETED}). Required. */
        public Builder journal(CallbackJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** The clock; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Serialises the browser and push paths per order; default in-memory. */
        public Builder locks(KeyedLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /** Remembers acknowledged orders and fraud decisions; default in-memory. */
        public Builder idempotencyStore(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The path prefix below the servlet's mount point; default {@code /klarna} or {@code /kustom}.
         *
         * @throws IllegalArgumentException unless it starts with {@code /} and does not end with one
         */
        public Builder pathPrefix(String pathPrefix) {
            if (pathPrefix == null || !pathPrefix.startsWith("/") || pathPrefix.endsWith("/")) {
                throw new IllegalArgumentException("path prefix must start with / and not end with /: " + pathPrefix);
            }
            this.pathPrefix = pathPrefix;
            return this;
        }

        /**
         * Builds the module and registers its action types on the scheduler.
         *
         * @throws IllegalStateException without environment, shop, scheduler or journal; without
         *     credentials when no API is given; or when the scheduler already has this flavour's
         *     action types
         * @throws IllegalArgumentException for Kustom outside the EU region without an API base URI
         */
        public KlarnaCallbacks build() {
            if (environment == null) {
                throw new IllegalStateException("environment is required: PLAYGROUND or LIVE");
            }
            if (shop == null || scheduler == null || journal == null) {
                throw new IllegalStateException("shop, scheduler and journal are required");
            }
            KlarnaApi chosen = api;
            if (chosen == null) {
                if (credentials == null) {
                    throw new IllegalStateException("credentials are required unless an API is given");
                }
                chosen = KlarnaHttpApi.builder()
                        .baseUri(apiBaseUri != null ? apiBaseUri : flavour.apiBaseUri(region, environment))
                        .credentials(credentials)
                        .connectTimeout(connectTimeout)
                        .readTimeout(readTimeout)
                        .build();
            }
            return new KlarnaCallbacks(this, chosen);
        }
    }
}
