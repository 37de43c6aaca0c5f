package org.callbackkit.core.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.OrderActivityRecorder;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.reconcile.Settlement.Outcome;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order-reconciliation engine: the loop every provider that settles an order later runs,
 * written once. A provider module supplies an {@link OrderFlow}; the engine
 * <ol>
 *   <li>{@linkplain #accept schedules} the work when a callback names an order, one delayed action
 *       per order, so that duplicates collapse and the callback is answered at once;</li>
 *   <li>later, or when the shopper's browser {@linkplain #settle confirms} first, skips the order if
 *       it is settled (a flow that {@linkplain OrderFlow#followsSettledOrders follows settled orders}
 *       may still tell the host later facts); otherwise finds the shop's order, reads the provider's,
 *       asks the flow's pure {@link OrderFlow#decide decision}, tells the host once and records it;</li>
 *   <li>makes the follow-up calls a settlement asks for, each once it is committed;</li>
 *   <li>retries on the flow's {@link RetrySchedule}, or gives up with a reason an operator can read.</li>
 * </ol>
 *
 * <p><b>Exactly once, on every node.</b> Step 2 runs inside {@link StateStore#update} of the
 * order's key in the flow's scope: on every node sharing the store (PostgreSQL: a row lock), a
 * second confirmation waits and then finds the order settled. No in-memory lock is what
 * correctness rests on. Where it stays at-least-once: the step runs again after the host was told
 * when the store cannot commit it (the database went away after the listener returned), and when
 * a durable store runs the update again after losing a race ({@link StateStore#update} says when:
 * on PostgreSQL only for errors that end the transaction, on SQLite only when another store writes
 * the same key). A listener that touches systems of its own should therefore still check its own
 * order, and report one it already has as settled through {@link OrderFlow#settledInShop}.
 *
 * <p>The delayed action's type is the flow's {@link OrderFlow#name() name}, registered on the
 * scheduler when the engine is built. Thread-safe.
 *
 * @param <R> the provider's order
 * @param <S> the shop's order
 * @param <E> what the host is told
 */
public final class Reconciler<R, S, E> {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OrderFlow<R, S, E> flow;
    private final DelayedActionScheduler scheduler;
    private final StateStore store;
    private final Clock clock;
    private final Duration delay;
    private final RetrySchedule retries;

    private Reconciler(Builder<R, S, E> builder) {
        this.flow = builder.flow;
        this.scheduler = builder.scheduler;
        this.store = builder.store;
        this.clock = builder.clock;
        this.delay = builder.delay;
        this.retries = builder.retries;
    }

    /** A builder for the engine of {@code flow}; a scheduler and a retry schedule are required. */
    public static <R, S, E> Builder<R, S, E> builder(OrderFlow<R, S, E> flow) {
        return new Builder<>(flow);
    }

    /**
     * Schedules the order's work after the processing delay, unless it is pending already: what a
     * callback handler calls before answering.
     *
     * @param hint what the callback said beyond the key, handed to {@link OrderFlow#findShopOrder}
     * @return when the work will run, or empty if the order's work was pending already (a duplicate)
     * @throws IllegalArgumentException if key is blank
     * @throws org.callbackkit.core.TemporarilyUnavailableException if a durable scheduler cannot store it (answer 503)
     */
    public Optional<Instant> accept(String key, Optional<String> hint) {
        String payload = hint.map(value -> MAPPER.createObjectNode().put("hint", value).toString()).orElse("{}");
        Instant runAt = clock.instant().plus(delay);
        return scheduler.schedule(new DelayedAction(flow.name(), key, payload, runAt)) ? Optional.of(runAt)
                : Optional.empty();
    }

    /**
     * Settles the order now, for the shopper's return page: the same code as the delayed action, so
     * whichever comes second finds the order settled. When the provider cannot be read for a reason
     * that may pass, the delayed action is scheduled too, so the order is settled in the background.
     * When anything fails after the settlement was recorded (a follow-up call, the store), it is
     * retried there and this returns the settlement, saying so in its detail.
     *
     * @throws IllegalArgumentException if key is blank
     * @throws ProviderApiException if the provider cannot be read before the order is settled
     * @throws org.callbackkit.core.TemporarilyUnavailableException if a durable store cannot be
     *     reached before the order is settled
     * @throws RuntimeException whatever the host's lookup or listener threw; nothing was recorded then
     */
    public Settlement settle(String key) {
        try {
            return settle(key, Optional.empty(), Source.BROWSER);
        } catch (ProviderApiException e) {
            if (e.retryable()) {
                accept(key, Optional.empty());
            }
            throw e;
        } catch (FollowUpFailed e) {
            String retried;
            try {
                accept(key, Optional.empty());
                retried = "is retried in the background";
            } catch (RuntimeException schedulingFailed) {
                retried = "is retried when the provider calls again (scheduling failed too: "
                        + schedulingFailed.getMessage() + ")";
            }
            return e.settlement.withMoreDetail("; what follows the settlement " + retried + ": "
                    + e.getCause().getMessage());
        }
    }

    /**
     * What the engine knows of the order now: {@link OrderState#NEW} if nothing.
     *
     * @throws org.callbackkit.core.TemporarilyUnavailableException if a durable store cannot be reached
     */
    public OrderState state(String key) {
        return store.find(flow.name(), key).map(OrderState::fromJson).orElse(OrderState.NEW);
    }

    private ActionResult run(ActionContext context) throws IOException {
        JsonNode payload = MAPPER.readTree(context.payload());
        Optional<String> hint = Optional.ofNullable(payload.path("hint").textValue());
        try {
            Settlement settlement = settle(context.key(), hint, Source.CALLBACK);
            return switch (settlement.outcome()) {
                case WAITING -> retryLater(context, settlement.detail());
                case GAVE_UP -> ActionResult.giveUp(settlement.detail());
                default -> ActionResult.done();
            };
        } catch (ProviderApiException e) {
            return e.retryable() ? retryLater(context, e.getMessage()) : ActionResult.giveUp(e.getMessage());
        } catch (FollowUpFailed e) {
            String reason = e.settlement.detail() + "; " + e.getCause().getMessage();
            return e.getCause() instanceof ProviderApiException failed && !failed.retryable()
                    ? ActionResult.giveUp(reason)
                    : retryLater(context, reason);
        }
    }

    private ActionResult retryLater(ActionContext context, String reason) {
        return ActionResult.retryAfter(retries.nextAttemptAfter(context.attempt()).orElse(Duration.ZERO), reason);
    }

    private Settlement settle(String key, Optional<String> hint, Source source) {
        Settlement[] result = new Settlement[1];
        String stored = store.update(flow.name(), key, document -> {
            OrderState before = document.map(OrderState::fromJson).orElse(OrderState.NEW);
            Step step = decide(key, hint, source, before);
            result[0] = step.settlement();
            return step.after().toJson();
        });
        OrderState state = OrderState.fromJson(stored);
        Settlement settlement = result[0];
        if (settlement.outcome() == Outcome.SETTLED && source == Source.CALLBACK) {
            LOG.warn("{} order {} settled by the callback: the shopper's browser never confirmed it", flow.name(), key);
            settlement = settlement.withMoreDetail(" by the callback (the shopper's browser never confirmed it)");
        }
        try {
            flow.settled(key, settlement, source);
        } catch (RuntimeException e) {
            LOG.error("{} failed to note what settling order {} did; the settlement stands", flow.name(), key, e);
        }
        for (Map.Entry<String, String> followUp : state.followUps().entrySet()) {
            try {
                store.update(flow.name(), key, document -> {
                    OrderState current = document.map(OrderState::fromJson).orElse(OrderState.NEW);
                    if (!current.followUps().containsKey(followUp.getKey())) {
                        return document.orElseThrow(); // made meanwhile, by this node or another
                    }
                    flow.followUp(key, followUp.getKey(), followUp.getValue());
                    return current.withoutFollowUp(followUp.getKey()).toJson();
                });
            } catch (ProviderApiException | TemporarilyUnavailableException e) {
                throw new FollowUpFailed(settlement, e);
            }
        }
        return settlement;
    }

    /** Runs while the key is held: what the order is now, and the state to store. */
    private Step decide(String key, Optional<String> hint, Source source, OrderState before) {
        boolean settled = before.settled();
        if (settled && (source != Source.CALLBACK || !flow.followsSettledOrders())) {
            return alreadySettled(key, "", "", before);
        }
        Optional<S> shopOrder = flow.findShopOrder(key, hint);
        if (settled && shopOrder.isEmpty()) {
            return alreadySettled(key, "", "; the shop has no order for it now", before);
        }
        if (!settled && shopOrder.isPresent() && flow.settledInShop(shopOrder.get())) {
            return new Step(new Settlement(key, Outcome.ALREADY_SETTLED, "", "the shop has the order for " + flow.name()
                    + " order " + key + " as settled already; the provider was not asked"), before.settledSilently());
        }
        R remote = flow.fetch(key);
        if (shopOrder.isEmpty()) {
            shopOrder = flow.createShopOrder(remote);
        }
        Decision<E> decision = Objects.requireNonNull(flow.decide(remote, shopOrder, before), "decision");
        if (settled && decision.kind() != Decision.Kind.TELL) { // a settled order is never decided again
            return alreadySettled(key, decision.providerStatus(), "; " + decision.detail(), before);
        }
        boolean tellNow = decision.event().isPresent() && (decision.fact() == null || !before.wasTold(decision.fact()));
        if (tellNow) {
            S shop = shopOrder.orElseThrow(() -> new IllegalStateException(
                    flow.name() + " decided to tell the host about order " + key + " without a shop order"));
            flow.tell(decision.event().get(), remote, shop, source);
        }
        String detail = decision.kind() == Decision.Kind.TELL && !tellNow
                ? decision.detail() + " (told before: not again)"
                : decision.detail();
        Outcome outcome = settled ? Outcome.ALREADY_SETTLED : outcome(decision, tellNow);
        return new Step(new Settlement(key, outcome, decision.providerStatus(), detail),
                before.after(decision, tellNow && decision.fact() != null));
    }

    private Step alreadySettled(String key, String providerStatus, String more, OrderState before) {
        return new Step(new Settlement(key, Outcome.ALREADY_SETTLED, providerStatus, flow.name() + " order " + key
                + " was settled before" + more), before);
    }

    private static Outcome outcome(Decision<?> decision, boolean toldNow) {
        return switch (decision.kind()) {
            case SETTLE -> toldNow ? Outcome.SETTLED : Outcome.ALREADY_SETTLED;
            case TELL -> toldNow ? Outcome.TOLD : Outcome.NOTHING;
            case WAIT -> Outcome.WAITING;
            case GIVE_UP -> Outcome.GAVE_UP;
            case NOTHING -> Outcome.NOTHING;
        };
    }

    private record Step(Settlement settlement, OrderState after) {
    }

    /** A follow-up call, or recording it, failed after the settlement was committed. */
    private static final class FollowUpFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Settlement settlement;

        FollowUpFailed(Settlement settlement, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.settlement = settlement;
        }
    }

    /** Builds a {@link Reconciler}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder<R, S, E> {
        private final OrderFlow<R, S, E> flow;
        private DelayedActionScheduler scheduler;
        private StateStore store = new InMemoryStateStore();
        private Clock clock = Clock.systemUTC();
        private Duration delay = Duration.ZERO;
        private RetrySchedule retries;
        private OrderActivityRecorder journal;

        private Builder(OrderFlow<R, S, E> flow) {
            this.flow = Objects.requireNonNull(flow, "flow");
        }

        /** Runs the delayed actions; the flow's name is registered on it as an action type. Required. */
        public Builder<R, S, E> scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Holds each order's state and its key while deciding; default in memory (one JVM, lost on
         * restart). Shops with several nodes or restarts pass the durable store they share.
         */
        public Builder<R, S, E> stateStore(StateStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The clock of the processing delay; default system UTC. It should be the scheduler's. */
        public Builder<R, S, E> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long after a callback its order is read; default zero.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder<R, S, E> processingDelay(Duration delay) {
            if (Objects.requireNonNull(delay, "delay").isNegative()) {
                throw new IllegalArgumentException("processing delay must not be negative: " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** How the work is retried when it waits or the provider fails for a reason that may pass. Required. */
        public Builder<R, S, E> retries(RetrySchedule retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /**
         * Where each run of the flow's action is recorded under its order (the journal: type, key,
         * attempt, done, failed or dead with the error, and the next attempt); default nowhere.
         */
        public Builder<R, S, E> journal(OrderActivityRecorder journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * Builds the engine and registers the flow's action type on the scheduler.
         *
         * @throws IllegalStateException without a scheduler or retry schedule, or when the scheduler
         *     already has the flow's action type
         */
        public Reconciler<R, S, E> build() {
            if (scheduler == null || retries == null) {
                throw new IllegalStateException("scheduler and retries are required");
            }
            Reconciler<R, S, E> engine = new Reconciler<>(this);
            ActionHandler run = engine::run;
            scheduler.register(flow.name(), journal == null ? run : new RecordedRuns(run, journal, retries, clock), retries);
            return engine;
        }
    }
}
