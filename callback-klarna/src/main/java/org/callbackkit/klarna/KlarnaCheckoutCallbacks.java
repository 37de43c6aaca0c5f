package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation and the checkout updates: answered synchronously by the host's {@link KlarnaValidator}
 * and {@link KlarnaCheckoutUpdates} within a deadline (Klarna waits about 3 s), else a fallback
 * answer. Owns a bounded thread pool for the deadlines.
 */
final class KlarnaCheckoutCallbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaCheckoutCallbacks.class);
    private static final ObjectMapper MAPPER = CallbackJson.strictMapper();

    private final KlarnaSettings settings;
    private final KlarnaValidator validator;
    private final KlarnaCheckoutUpdates updates;
    private final Duration deadline;
    private final KlarnaCheckoutAnswer validationFallback;
    private final KlarnaCheckoutAnswer updateFallback;
    private final ThreadPoolExecutor checkoutCallbacks;

    /** The builder's checkout settings, each checked as it is set. */
    static final class Options {
        KlarnaValidator validator;
        KlarnaCheckoutUpdates updates;
        KlarnaCheckoutAnswer updateFallback = KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED,
                "The shop could not update your order. Please try again.");
        private Duration deadline = Duration.ofMillis(2500);
        private KlarnaCheckoutAnswer validationFallback;
        private int maxConcurrent = 16;

        void deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.compareTo(Duration.ofMillis(1)) < 0 || deadline.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("deadline must be between 1 ms and 10 s: " + deadline);
            }
            this.deadline = deadline;
        }

        void validationFallback(KlarnaCheckoutAnswer fallback) {
            if (Objects.requireNonNull(fallback, "fallback").kind() == KlarnaCheckoutAnswer.Kind.UPDATE) {
                throw new IllegalArgumentException("a validation answers approve, redirect or reject");
            }
            this.validationFallback = fallback;
        }

        void maxConcurrent(int max) {
            if (max < 1 || max > 1024) {
                throw new IllegalArgumentException("max concurrent checkout callbacks must be 1..1024: " + max);
            }
            this.maxConcurrent = max;
        }
    }

    KlarnaCheckoutCallbacks(KlarnaSettings settings, Options options) {
        this.settings = settings;
        this.validator = options.validator;
        this.updates = options.updates;
        this.deadline = options.deadline;
        this.validationFallback = options.validationFallback;
        this.updateFallback = options.updateFallback;
        int maxConcurrent = options.maxConcurrent;
        // Bounded: validation is unauthenticated, so a flood of requests to a slow validator must
        // not grow threads without limit. Beyond the bound the fallback is answered at once.
        this.checkoutCallbacks = new ThreadPoolExecutor(0, maxConcurrent, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, settings.name() + "-checkout-callback");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * A validation answered in Klarna's shape even when its body cannot be read: a 400 with
     * {@code error_type} {@code approval_failed} and an {@code error_text} the shopper sees (beside
     * the short {@code error} reason every refusal carries), so Klarna shows a message instead of a
     * generic failure; journaled as input refused.
     */
    CallbackResponse validation(CallbackRequest request) {
        KlarnaOrder order;
        try {
            String orderId = Checks.orderIdOf(request);
            order = parsed(() -> KlarnaOrder.parse(request, null));
            if (!order.orderId().equals(orderId)) {
                throw new InvalidCallbackException("order_id differs from the order id in the URL");
            }
        } catch (InvalidCallbackException e) {
            return CallbackResponse.json(400, MAPPER.createObjectNode()
                    .put("error", e.getMessage()) // our short reason, beside Klarna's own two fields
                    .put("error_type", KlarnaErrorType.APPROVAL_FAILED.wireName())
                    .put("error_text", "The shop could not read your order. Please try again.").toString())
                    .withOutcome(CallbackOutcome.REJECTED_INPUT).withDetail(e.getMessage());
        }
        TimedAnswer answer = withinDeadline("validator", () -> validator.validate(order), validationFallback,
                order.orderId());
        return respond(answer.answer(), null, "validator " + answer.note()).withOrderReference(order.orderId());
    }

    CallbackResponse checkoutUpdate(CallbackRequest request, String kind) {
        String orderId = Checks.orderIdOf(request);
        KlarnaOrder order = parsed(() -> KlarnaOrder.parse(request, orderId));
        Supplier<KlarnaCheckoutAnswer> call = switch (kind) {
            case KlarnaCallbacks.SHIPPING_OPTION_UPDATE -> () -> updates.shippingOptionUpdate(order,
                    order.jsonTree().path("selected_shipping_option"));
            case KlarnaCallbacks.ADDRESS_UPDATE -> () -> updates.addressUpdate(order);
            default -> () -> updates.countryChange(order);
        };
        TimedAnswer answer = withinDeadline(kind, call, updateFallback, order.orderId());
        return respond(answer.answer(), order, kind + " " + answer.note()).withOrderReference(order.orderId());
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
            LOG.warn("{} {} for order {}: {} callbacks already in progress; sent the fallback {}", settings.provider(), what, orderId,
                    checkoutCallbacks.getMaximumPoolSize(), fallback);
            return new TimedAnswer(fallback, "not run: too many callbacks in progress; fallback " + fallback);
        }
        try {
            KlarnaCheckoutAnswer answer = future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                LOG.warn("{} {} for order {} answered null; sent the fallback {}", settings.provider(), what, orderId, fallback);
                return new TimedAnswer(fallback, "answered nothing; fallback " + fallback);
            }
            return new TimedAnswer(answer, "answered " + answer);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("{} {} for order {} did not answer within {} ms; sent the fallback {}", settings.provider(), what, orderId,
                    deadline.toMillis(), fallback);
            return new TimedAnswer(fallback, "overran " + deadline.toMillis() + " ms; fallback " + fallback);
        } catch (ExecutionException e) {
            LOG.warn("{} {} for order {} threw; sent the fallback {}", settings.provider(), what, orderId, fallback, e.getCause());
            return new TimedAnswer(fallback, "threw " + e.getCause().getClass().getName() + "; fallback " + fallback);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            LOG.warn("{} {} for order {} was interrupted; sent the fallback {}", settings.provider(), what, orderId, fallback);
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

    private static KlarnaOrder parsed(Supplier<KlarnaOrder> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidCallbackException(e.getMessage());
        }
    }

    /** Whether a validator was given: the validation endpoint is mounted. */
    boolean validates() {
        return validator != null;
    }

    /** Whether checkout updates were given: their endpoints are mounted. */
    boolean updates() {
        return updates != null;
    }

    @Override
    public void close() {
        checkoutCallbacks.shutdownNow();
    }
}
