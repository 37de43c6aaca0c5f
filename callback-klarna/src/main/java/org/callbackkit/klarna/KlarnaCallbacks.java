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
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.callbackkit.core.ActionContext;
import org.callbackkit.core.ActionResult;
import org.callbackkit.core.CallbackEndpoint;
import org.callbackkit.core.CallbackJson;
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
 * asks the {@link KlarnaShop} for its order, compares state, currency, total (one minor unit of
 * rounding allowed by default) and lines, confirms it in the shop, acknowledges it to Klarna and
 * sets the shop's order number as {@code merchant_reference1}. A mismatch is not acknowledged
 * (Klarna keeps pushing) and the action ends dead with the differences; a missing shop order and
 * API failures are retried with backoff. After acknowledgement, pushes are answered as duplicates
 * with no call at all. {@link #confirmOrder(String)} runs the same confirmation for the browser
 * under the same per-order lock, and the {@link IdempotencyStore} remembers each confirmation, so
 * within one JVM the two never both confirm. Across nodes or restarts that holds with a shared
 * durable store and locks, or with a host whose {@code confirm} is idempotent.
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
    private static final ObjectMapper MAPPER = CallbackJson.strictMapper();
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
    private final String name;
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
    private final KlarnaCheckoutAnswer updateFallback;
    private final long amountTolerance;
    private final ThreadPoolExecutor checkoutCallbacks;

    private KlarnaCallbacks(Builder builder, KlarnaApi api) {
        this.flavour = builder.flavour;
        this.provider = builder.flavour.provider();
        this.name = builder.name == null ? provider : builder.name;
        this.pathPrefix = builder.pathPrefix == null ? "/" + name : builder.pathPrefix;
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
        this.updateFallback = builder.updateFallback;
        this.amountTolerance = builder.amountTolerance;
        // Bounded: validation is unauthenticated, so a flood of requests to a slow validator must
        // not grow threads without limit. Beyond the bound the fallback is answered at once.
        this.checkoutCallbacks = new ThreadPoolExecutor(0, builder.maxConcurrentCheckoutCallbacks, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-checkout-callback");
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

    /** The delayed action type of push work: {@code <name>.push}, e.g. {@code klarna.push}. */
    public String pushActionType() {
        return name + ".push";
    }

    /** The delayed action type of notification work: {@code <name>.notification}. */
    public String notificationActionType() {
        return name + ".notification";
    }

    /** The API the module calls, e.g. for a validator that reads the Checkout API's order. */
    public KlarnaApi api() {
        return api;
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
     * call fails after the shop confirmed the order, the rest (acknowledge, references) is
     * scheduled as push work and {@link KlarnaConfirmation.Result#CONFIRMED} is returned; when it
     * fails before, retryable failures are scheduled likewise and the error is thrown, for the page
     * to say "we are processing your order".
     *
     * @throws IllegalArgumentException if {@code orderId} is not a Klarna order id
     * @throws KlarnaApiException if Order Management fails before the shop confirmed the order
     */
    public KlarnaConfirmation confirmOrder(String orderId) {
        Checks.requireOrderId(orderId);
        try {
            return confirm(orderId, ConfirmationSource.BROWSER);
        } catch (KlarnaApiException e) {
            boolean confirmed = store.isDone(confirmedScope(), orderId);
            if (confirmed || e.retryable()) {
                scheduler.schedule(new DelayedAction(pushActionType(), orderId, "{}", clock.instant()));
            }
            if (!confirmed) {
                throw e;
            }
            return new KlarnaConfirmation(orderId, KlarnaConfirmation.Result.CONFIRMED, FraudStatus.NOT_GIVEN,
                    "the shop's order is confirmed; telling Klarna failed and is retried in the background: "
                            + e.getMessage());
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
        return locks.withLock(name + ":" + orderId, () -> {
            if (isAcknowledged(orderId)) {
                return store.isDone(referencesScope(), orderId)
                        ? result(orderId, KlarnaConfirmation.Result.ALREADY_ACKNOWLEDGED, FraudStatus.NOT_GIVEN,
                                "order " + orderId + " was acknowledged before")
                        : finishReferences(orderId);
            }
            KlarnaOrder order = api.getOrder(orderId);
            Optional<KlarnaShopOrder> found = shop.findOrder(orderId);
            if (found.isEmpty()) {
                return notFound(orderId);
            }
            KlarnaShopOrder shopOrder = found.get();
            List<String> differences = OrderComparison.differences(order, shopOrder, amountTolerance);
            if (!differences.isEmpty()) {
                LOG.warn("{} order {} differs from shop order {}: {}", provider, orderId, shopOrder.reference(),
                        differences);
                shop.mismatch(order, shopOrder, differences);
                return result(orderId, KlarnaConfirmation.Result.MISMATCH, order.fraudStatus(),
                        "not acknowledged: " + String.join("; ", differences));
            }
            boolean confirmedNow = !shopOrder.confirmed() && !store.isDone(confirmedScope(), orderId);
            if (confirmedNow) {
                shop.confirm(order, shopOrder, source);
                store.markDone(confirmedScope(), orderId, clock.instant());
                if (source == ConfirmationSource.PUSH) {
                    pushCompleted(order, shopOrder);
                }
            }
            api.acknowledge(orderId);
            store.markDone(acknowledgedScope(), orderId, clock.instant());
            if (order.merchantReference1().equals(Optional.of(shopOrder.reference()))) {
                store.markDone(referencesScope(), orderId, clock.instant());
            } else {
                setReferences(orderId, shopOrder);
            }
            return confirmedNow
                    ? result(orderId, KlarnaConfirmation.Result.CONFIRMED, order.fraudStatus(),
                            "confirmed by " + source.name().toLowerCase(java.util.Locale.ROOT) + " as shop order "
                                    + shopOrder.reference() + " (fraud status " + order.fraudStatusValue() + ")")
                    : result(orderId, KlarnaConfirmation.Result.ACKNOWLEDGED, order.fraudStatus(),
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
        return result(orderId, KlarnaConfirmation.Result.ALREADY_ACKNOWLEDGED, FraudStatus.NOT_GIVEN,
                "order " + orderId + " was acknowledged before; merchant references set now");
    }

    private void setReferences(String orderId, KlarnaShopOrder shopOrder) {
        api.setMerchantReferences(orderId, shopOrder.reference(), null);
        store.markDone(referencesScope(), orderId, clock.instant());
    }

    private KlarnaConfirmation notFound(String orderId) {
        return result(orderId, KlarnaConfirmation.Result.SHOP_ORDER_NOT_FOUND, FraudStatus.NOT_GIVEN,
                "the shop has no order for " + provider + " order " + orderId + " yet");
    }

    private static KlarnaConfirmation result(String orderId, KlarnaConfirmation.Result result, FraudStatus fraudStatus,
            String detail) {
        return new KlarnaConfirmation(orderId, result, fraudStatus, detail);
    }

    /** Journals and reports that the push, not the browser, confirmed the order; never fails the confirmation. */
    private void pushCompleted(KlarnaOrder order, KlarnaShopOrder shopOrder) {
        String detail = "the push confirmed shop order " + shopOrder.reference() + " (" + provider + " order "
                + order.orderId() + "): the shopper's browser never reached the confirmation page";
        LOG.warn("{}", detail);
        try {
            journal.record(new JournalEntry(UUID.randomUUID().toString(), clock.instant(), provider, PUSH_COMPLETED,
                    CallbackOutcome.ACCEPTED, 200, Duration.ZERO, "", "ACTION",
                    pathPrefix + "/" + PUSH + "/" + order.orderId(), Map.of(), Map.of(), 0, detail));
            shop.completedByPush(order, shopOrder);
        } catch (RuntimeException e) {
            LOG.error("Reporting that the push completed {} order {} failed", provider, order.orderId(), e);
        }
    }

    // ---- notification -----------------------------------------------------------------------

    private CallbackResponse notification(CallbackRequest request) {
        String pathOrderId = orderIdOf(request);
        JsonNode body = CallbackJson.readObject(request);
        String orderId = text(body, "order_id");
        String eventType = text(body, "event_type");
        if (!orderId.equals(pathOrderId)) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        Optional<FraudEvent> event = FraudEvent.of(eventType);
        if (event.isEmpty()) {
            return CallbackResponse.ok().withDetail("unknown event_type " + Checks.printable(eventType) + " for order "
                    + orderId + ": recorded, not acted on");
        }
        // One action per order and event: a STOPPED after an ACCEPTED is news, not a duplicate.
        String payload = MAPPER.createObjectNode().put("order_id", orderId).put("event_type", eventType).toString();
        boolean scheduled = scheduler.schedule(new DelayedAction(notificationActionType(), orderId + "/" + eventType,
                payload, clock.instant()));
        return CallbackResponse.ok().withDetail(eventType + " for order " + orderId
                + (scheduled ? ": fraud status will be re-read" : ": a re-read is already pending"));
    }

    private ActionResult runNotification(ActionContext context) {
        JsonNode payload = readPayload(context);
        String orderId = payload.path("order_id").asText();
        FraudEvent event = FraudEvent.of(payload.path("event_type").asText())
                .orElseThrow(() -> new IllegalStateException("scheduled with a known event"));
        try {
            return locks.withLock(name + ":" + orderId, () -> {
                KlarnaOrder order = api.getOrder(orderId);
                Optional<KlarnaShopOrder> shopOrder = shop.findOrder(orderId);
                if (shopOrder.isEmpty()) {
                    return retryLater(context, "the shop has no order for " + provider + " order " + orderId + " yet");
                }
                if (event != FraudEvent.FRAUD_RISK_STOPPED && order.fraudStatus() == FraudStatus.PENDING) {
                    return retryLater(context, "Order Management still says fraud status PENDING after " + event);
                }
                String decision = orderId + ":" + event + ":" + order.fraudStatusValue();
                if (!store.isDone(fraudScope(), decision)) {
                    shop.fraudDecision(order, shopOrder.get(), event);
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
        String orderId = orderIdOf(request);
        KlarnaOrder order = parsed(() -> KlarnaOrder.parse(request, null));
        if (!order.orderId().equals(orderId)) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        TimedAnswer answer = withinDeadline("validator", () -> validator.validate(order), validationFallback,
                order.orderId());
        return respond(answer.answer(), null, "validator " + answer.note());
    }

    private CallbackResponse checkoutUpdate(CallbackRequest request, String kind) {
        String orderId = orderIdOf(request);
        KlarnaOrder order = parsed(() -> KlarnaOrder.parse(request, orderId));
        Supplier<KlarnaCheckoutAnswer> call = switch (kind) {
            case SHIPPING_OPTION_UPDATE -> () -> updates.shippingOptionUpdate(order,
                    order.jsonTree().path("selected_shipping_option"));
            case ADDRESS_UPDATE -> () -> updates.addressUpdate(order);
            default -> () -> updates.countryChange(order);
        };
        TimedAnswer answer = withinDeadline(kind, call, updateFallback, order.orderId());
        return respond(answer.answer(), order, kind + " " + answer.note());
    }

    /** An answer and how it came about, for the journal. */
    private record TimedAnswer(KlarnaCheckoutAnswer answer, String note) {
    }

    private TimedAnswer withinDeadline(String what, Supplier<KlarnaCheckoutAnswer> call, KlarnaCheckoutAnswer fallback,
            String orderId) {
        Future<KlarnaCheckoutAnswer> future;
        try {
            future = checkoutCallbacks.submit(call::get);
        } catch (RejectedExecutionException e) {
            LOG.warn("{} {} for order {}: {} callbacks already in progress; sent the fallback {}", provider, what, orderId,
                    checkoutCallbacks.getMaximumPoolSize(), fallback);
            return new TimedAnswer(fallback, "not run: too many callbacks in progress; fallback " + fallback);
        }
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
            LOG.warn("{} {} for order {} was interrupted; sent the fallback {}", provider, what, orderId, fallback);
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

    private static KlarnaOrder parsed(Supplier<KlarnaOrder> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidCallbackException(e.getMessage());
        }
    }

    private static String orderIdOf(CallbackRequest request) {
        String orderId = request.pathParameter("orderId").orElse("");
        if (!Checks.isOrderId(orderId)) {
            throw new InvalidCallbackException("the URL has no Klarna order id");
        }
        return orderId;
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

    private String acknowledgedScope() {
        return name + ".acknowledged";
    }

    private String confirmedScope() {
        return name + ".confirmed";
    }

    private String referencesScope() {
        return name + ".merchant-references";
    }

    private String fraudScope() {
        return name + ".fraud-decision";
    }

    /** Builds {@link KlarnaCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private KlarnaFlavour flavour = KlarnaFlavour.KLARNA;
        private String name;
        private KlarnaRegion region = KlarnaRegion.EU;
        private boolean httpSettingsGiven;
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
        private KlarnaCheckoutAnswer updateFallback = KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED,
                "The shop could not update your order. Please try again.");
        private int maxConcurrentCheckoutCallbacks = 16;
        private long amountTolerance = 1;
        private String pathPrefix;

        private Builder() {
        }

        /** Klarna (default) or Kustom: the API hosts and the provider name journaled. */
        public Builder flavour(KlarnaFlavour flavour) {
            this.flavour = Objects.requireNonNull(flavour, "flavour");
            return this;
        }

        /**
         * Names this module when a shop has several Klarna accounts (one per country is common):
         * the action types ({@code <name>.push}), idempotency scopes and default path prefix
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
            httpSettingsGiven = true;
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
            httpSettingsGiven = true;
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
            httpSettingsGiven = true;
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
            httpSettingsGiven = true;
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
            httpSettingsGiven = true;
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

        /**
         * Sent when a checkout update (shipping option, address, country) throws, overruns or
         * cannot run; default a 400 {@code approval_failed} asking the shopper to try again, since
         * an unchanged cart (without the new shipping fee, say) would not match the shop's order.
         *
         * @throws NullPointerException if null
         */
        public Builder checkoutUpdateFallback(KlarnaCheckoutAnswer fallback) {
            this.updateFallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * How many validators and checkout updates may run at once; beyond that the fallback is
         * answered at once. Default 16.
         *
         * @throws IllegalArgumentException unless 1..1024
         */
        public Builder maxConcurrentCheckoutCallbacks(int max) {
            if (max < 1 || max > 1024) {
                throw new IllegalArgumentException("max concurrent checkout callbacks must be 1..1024: " + max);
            }
            this.maxConcurrentCheckoutCallbacks = max;
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

        /** Serialises the browser and push paths per order; default in-memory (one JVM). */
        public Builder locks(KeyedLocks locks) {
            this.locks = Objects.requireNonNull(locks, "locks");
            return this;
        }

        /**
         * Remembers confirmed and acknowledged orders and fraud decisions; default in-memory, lost
         * on restart: pass a durable one (callback-jdbc) in production.
         */
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
         *     credentials when no API is given; with an API and HTTP settings (credentials, region,
         *     base URI, timeouts) it would ignore; for Kustom outside the EU without a base URI; or
         *     when the scheduler already has this module's action types
         */
        public KlarnaCallbacks build() {
            if (environment == null) {
                throw new IllegalStateException("environment is required: PLAYGROUND or LIVE");
            }
            if (shop == null || scheduler == null || journal == null) {
                throw new IllegalStateException("shop, scheduler and journal are required");
            }
            if (api != null && httpSettingsGiven) {
                throw new IllegalStateException(
                        "an API was given, so credentials, region, base URI and timeouts would be ignored; set one or the other");
            }
            if (api == null && apiBaseUri == null && flavour == KlarnaFlavour.KUSTOM && region != KlarnaRegion.EU) {
                throw new IllegalStateException("Kustom publishes an API for the EU region only, not " + region);
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
