package org.callbackkit.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.reconcile.Settlement.Outcome;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The engine on a toy provider whose remote order is a status string and whose shop order is a name. */
class ReconcilerTest {

    private static final RetrySchedule RETRIES = RetrySchedule.fixed(Duration.ofMinutes(1), 3);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final ToyFlow flow = new ToyFlow();
    private final Reconciler<String, String, String> engine = Reconciler.builder(flow).scheduler(scheduler)
            .stateStore(store).clock(clock).processingDelay(Duration.ofSeconds(10)).retries(RETRIES).build();

    /** PAID settles (acknowledging after), PENDING is told once, MISSING shop order waits, GONE gives up. */
    private static class ToyFlow implements OrderFlow<String, String, String> {
        final Map<String, String> remote = new ConcurrentHashMap<>();
        final Map<String, String> shop = new ConcurrentHashMap<>();
        final List<String> told = new CopyOnWriteArrayList<>();
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final AtomicInteger fetches = new AtomicInteger();
        final AtomicInteger acknowledgeFailures = new AtomicInteger();
        final AtomicInteger fetchFailures = new AtomicInteger();

        @Override
        public String name() {
            return "toy.orders";
        }

        @Override
        public Optional<String> findShopOrder(String key, Optional<String> hint) {
            return Optional.ofNullable(shop.get(hint.orElse(key)));
        }

        @Override
        public boolean settledInShop(String shopOrder) {
            return shopOrder.endsWith("(paid)");
        }

        @Override
        public String fetch(String key) {
            fetches.incrementAndGet();
            if (fetchFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ProviderApiException("toy GET " + key + " answered 503", "toy", key, 503, null, null, true, null);
            }
            return remote.getOrDefault(key, "GONE");
        }

        @Override
        public Decision<String> decide(String status, Optional<String> shopOrder, OrderState state) {
            if (shopOrder.isEmpty()) {
                return Decision.waitFor("no shop order yet");
            }
            return switch (status) {
                case "PAID" -> Decision.<String>settle("paid", "paid as " + shopOrder.get()).withFollowUp("ack", "");
                case "PENDING" -> Decision.tellOnce("pending", "pending", "still pending");
                default -> Decision.giveUp("the provider says " + status);
            };
        }

        @Override
        public void tell(String event, String status, String shopOrder, Source source) {
            told.add(event + " " + shopOrder + " by " + source);
        }

        @Override
        public void followUp(String key, String name, String argument) {
            if (acknowledgeFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ProviderApiException("toy acknowledge " + key + " answered 500", "toy", key, 500, null, null,
                        true, null);
            }
            acknowledged.add(key);
        }
    }

    @Test
    void aCallbackIsScheduledOnceAfterTheDelayAndSettlesOnce() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");

        assertThat(engine.accept("o1", Optional.empty())).contains(clock.instant().plusSeconds(10));
        assertThat(engine.accept("o1", Optional.empty())).as("a duplicate while pending").isEmpty();
        assertThat(scheduler.tick(Duration.ofSeconds(9))).isZero();
        assertThat(scheduler.tick(Duration.ofSeconds(1))).isEqualTo(1);

        assertThat(flow.told).containsExactly("paid shop-1 by CALLBACK");
        assertThat(flow.acknowledged).containsExactly("o1");
        assertThat(engine.state("o1").finished()).isTrue();
        assertThat(engine.settle("o1").outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        assertThat(flow.fetches).as("a settled order is not fetched again").hasValue(1);
    }

    @Test
    void theBrowserFirstMakesTheActionANoOp() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");
        engine.accept("o1", Optional.empty());

        Settlement browser = engine.settle("o1");
        scheduler.tick(Duration.ofSeconds(10));

        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(browser.settled()).isTrue();
        assertThat(flow.told).containsExactly("paid shop-1 by BROWSER");
        assertThat(flow.acknowledged).containsExactly("o1");
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void aFactIsToldOnceAndTheOrderStaysOpenUntilItSettles() {
        flow.remote.put("o1", "PENDING");
        flow.shop.put("o1", "shop-1");

        assertThat(engine.settle("o1").outcome()).isEqualTo(Outcome.TOLD);
        assertThat(engine.settle("o1").outcome()).isEqualTo(Outcome.NOTHING);
        flow.remote.put("o1", "PAID");
        assertThat(engine.settle("o1").outcome()).isEqualTo(Outcome.SETTLED);
        flow.remote.put("o1", "CANCELLED");
        assertThat(engine.settle("o1").outcome()).as("never downgraded").isEqualTo(Outcome.ALREADY_SETTLED);

        assertThat(flow.told).containsExactly("pending shop-1 by BROWSER", "paid shop-1 by BROWSER");
        assertThat(engine.state("o1").told()).containsExactlyInAnyOrder("pending", Decision.SETTLED_FACT);
    }

    @Test
    void aFlowThatFollowsSettledOrdersTellsLaterFactsOnceAndNeverUnsettles() {
        ToyFlow following = new ToyFlow() {
            @Override
            public boolean followsSettledOrders() {
                return true;
            }
        };
        ManualDelayedActionScheduler actions = new ManualDelayedActionScheduler(clock);
        Reconciler<String, String, String> followingEngine = Reconciler.builder(following).scheduler(actions)
                .stateStore(new InMemoryStateStore()).clock(clock).retries(RETRIES).build();
        following.remote.put("o1", "PAID");
        following.shop.put("o1", "shop-1");
        assertThat(followingEngine.settle("o1").outcome()).isEqualTo(Outcome.SETTLED);

        following.remote.put("o1", "PENDING"); // a fact the flow tells once, on a settled order
        followingEngine.accept("o1", Optional.empty());
        actions.runDue();
        followingEngine.accept("o1", Optional.empty());
        actions.runDue();
        following.remote.put("o1", "GONE"); // a give-up: not for a settled order
        followingEngine.accept("o1", Optional.empty());
        actions.runDue();
        assertThat(followingEngine.settle("o1").outcome()).as("the browser reads nothing more")
                .isEqualTo(Outcome.ALREADY_SETTLED);

        assertThat(following.told).containsExactly("paid shop-1 by BROWSER", "pending shop-1 by CALLBACK");
        assertThat(following.fetches).as("one read per callback, none for the browser after settling").hasValue(4);
        assertThat(followingEngine.state("o1").settled()).isTrue();
        assertThat(actions.dead()).isEmpty();
        assertThat(actions.pending()).isEmpty();

        flow.remote.put("o2", "PAID");
        flow.shop.put("o2", "shop-2");
        engine.settle("o2");
        flow.remote.put("o2", "PENDING");
        engine.accept("o2", Optional.empty());
        scheduler.tick(Duration.ofSeconds(10));
        assertThat(flow.told).as("by default a settled order is not read again").containsExactly("paid shop-2 by BROWSER");
        assertThat(flow.fetches).hasValue(1);
    }

    @Test
    void anOrderTheShopHasAsSettledIsRecordedWithoutAskingTheProvider() {
        flow.shop.put("o1", "shop-1 (paid)");

        assertThat(engine.settle("o1").outcome()).isEqualTo(Outcome.ALREADY_SETTLED);

        assertThat(flow.fetches).hasValue(0);
        assertThat(flow.told).isEmpty();
        assertThat(engine.state("o1").settled()).isTrue();
    }

    @Test
    void aMissingShopOrderWaitsOnTheRetryScheduleThenEndsDeadWithTheReason() {
        flow.remote.put("o1", "PAID");
        engine.accept("o1", Optional.empty());

        scheduler.tick(Duration.ofSeconds(10));
        assertThat(scheduler.pending()).singleElement().satisfies(p -> {
            assertThat(p.lastError()).contains("no shop order yet");
            assertThat(p.action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        });
        for (int i = 0; i < 5; i++) {
            scheduler.tick(Duration.ofMinutes(1));
        }

        assertThat(scheduler.dead()).singleElement().satisfies(dead -> {
            assertThat(dead.lastError()).isEqualTo("no shop order yet");
            assertThat(dead.attempts()).isEqualTo(RETRIES.maxAttempts());
        });
        assertThat(flow.told).isEmpty();
    }

    @Test
    void eachRunIsRecordedUnderItsOrderAsTheSchedulerEndsIt() {
        List<OrderActivity> runs = new CopyOnWriteArrayList<>();
        ManualDelayedActionScheduler recorded = new ManualDelayedActionScheduler(clock);
        Reconciler<String, String, String> journaled = Reconciler.builder(flow).scheduler(recorded).stateStore(store)
                .clock(clock).processingDelay(Duration.ofSeconds(10)).retries(RETRIES).journal(runs::add).build();
        flow.remote.put("o1", "PAID");
        journaled.accept("o1", Optional.empty());
        flow.shop.put("o2/event-7", "shop-2");
        journaled.accept("o2/event-7", Optional.empty()); // the provider says GONE: gives up at once

        recorded.tick(Duration.ofSeconds(10));
        assertThat(runs).hasSize(2);
        OrderActivity waited = runs.stream().filter(run -> run.orderReference().equals("o1")).findFirst().orElseThrow();
        assertThat(waited.kind()).isEqualTo(OrderActivity.Kind.ACTION_RUN);
        assertThat(waited.source()).isEqualTo("toy.orders");
        assertThat(waited.subject()).isEqualTo("o1");
        assertThat(waited.attempt()).isEqualTo(1);
        assertThat(waited.at()).isEqualTo(clock.instant());
        assertThat(waited.result()).isEqualTo("failed");
        assertThat(waited.error()).isEqualTo("no shop order yet");
        assertThat(waited.nextAttempt()).as("when the scheduler runs it again")
                .contains(recorded.pending().get(0).action().runAt());
        OrderActivity gone = runs.stream().filter(run -> run.subject().equals("o2/event-7")).findFirst().orElseThrow();
        assertThat(gone.orderReference()).isEqualTo("o2");
        assertThat(gone.result()).isEqualTo("dead");
        assertThat(gone.nextAttempt()).isEmpty();
        assertThat(recorded.dead()).singleElement().satisfies(dead -> assertThat(dead.action().key()).isEqualTo("o2/event-7"));

        flow.shop.put("o1", "shop-1");
        recorded.tick(Duration.ofMinutes(1));
        assertThat(runs).last().satisfies(run -> {
            assertThat(run.subject()).isEqualTo("o1");
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.result()).isEqualTo("done");
            assertThat(run.error()).isEmpty();
            assertThat(run.nextAttempt()).isEmpty();
        });
    }

    @Test
    void theLastAttemptIsRecordedDead() {
        List<OrderActivity> runs = new CopyOnWriteArrayList<>();
        ManualDelayedActionScheduler recorded = new ManualDelayedActionScheduler(clock);
        Reconciler<String, String, String> journaled = Reconciler.builder(flow).scheduler(recorded).stateStore(store)
                .clock(clock).retries(RETRIES).journal(runs::add).build();
        flow.remote.put("o1", "PAID");
        journaled.accept("o1", Optional.empty());

        recorded.runDue();
        for (int i = 1; i < RETRIES.maxAttempts(); i++) {
            recorded.tick(Duration.ofMinutes(1));
        }

        assertThat(runs).extracting(OrderActivity::result).containsExactly("failed", "failed", "dead");
        assertThat(runs).extracting(OrderActivity::attempt).containsExactly(1, 2, 3);
        assertThat(recorded.dead()).hasSize(1);
    }

    @Test
    void aRunThatThrowsIsRecordedFailedWithItsErrorAndRethrown() {
        List<OrderActivity> runs = new CopyOnWriteArrayList<>();
        RecordedRuns handler = new RecordedRuns(context -> {
            throw new IllegalStateException("the shop's database\nis down");
        }, runs::add, RETRIES, clock);
        ActionContext context = new ActionContext(new DelayedAction("toy.orders", "o9", "{}", clock.instant()), 1);

        assertThatThrownBy(() -> handler.execute(context)).hasMessageContaining("is down");

        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.result()).isEqualTo("failed");
            assertThat(run.error()).isEqualTo("java.lang.IllegalStateException: the shop's database is down");
            assertThat(run.nextAttempt()).contains(clock.instant().plus(Duration.ofMinutes(1)));
        });
    }

    @Test
    void theHintFindsTheShopOrder() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("cart-7", "shop-7");

        engine.accept("o1", Optional.of("cart-7"));
        scheduler.tick(Duration.ofSeconds(10));

        assertThat(flow.told).containsExactly("paid shop-7 by CALLBACK");
    }

    @Test
    void aProviderFailureThatMayPassIsRetriedAndOneThatCannotGivesUp() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");
        flow.fetchFailures.set(1);
        engine.accept("o1", Optional.empty());

        scheduler.tick(Duration.ofSeconds(10));
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503")));
        scheduler.tick(Duration.ofMinutes(1));
        assertThat(flow.told).containsExactly("paid shop-1 by CALLBACK");

        flow.shop.put("o2", "shop-2");
        engine.accept("o2", Optional.empty());
        scheduler.tick(Duration.ofSeconds(10));
        assertThat(scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).isEqualTo("the provider says GONE"));
    }

    @Test
    void theBrowserThatCannotReadTheProviderThrowsAndLeavesTheWorkScheduled() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");
        flow.fetchFailures.set(1);

        assertThatThrownBy(() -> engine.settle("o1")).isInstanceOf(ProviderApiException.class);
        assertThat(flow.told).isEmpty();
        scheduler.tick(Duration.ofSeconds(10));

        assertThat(flow.told).containsExactly("paid shop-1 by CALLBACK");
    }

    @Test
    void aFailedFollowUpIsRetriedWithoutTellingTheHostAgain() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");
        flow.acknowledgeFailures.set(1);

        Settlement browser = engine.settle("o1");

        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(browser.detail()).contains("retried in the background", "500");
        assertThat(engine.state("o1").followUps()).containsOnlyKeys("ack");
        scheduler.tick(Duration.ofSeconds(10));

        assertThat(flow.acknowledged).containsExactly("o1");
        assertThat(flow.told).containsExactly("paid shop-1 by BROWSER");
        assertThat(engine.state("o1").finished()).isTrue();
    }

    @Test
    void aHostThatThrowsHasNothingRecordedAndIsToldAgainOnTheRetry() {
        flow.remote.put("o1", "PAID");
        flow.shop.put("o1", "shop-1");
        OrderFlow<String, String, String> failingOnce = new DelegatingFlow(flow) {
            final AtomicInteger failures = new AtomicInteger(1);

            @Override
            public void tell(String event, String status, String shopOrder, Source source) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("shop database down");
                }
                super.tell(event, status, shopOrder, source);
            }
        };
        ManualDelayedActionScheduler other = new ManualDelayedActionScheduler(clock);
        Reconciler<String, String, String> failing = Reconciler.builder(failingOnce).scheduler(other)
                .stateStore(new InMemoryStateStore()).clock(clock).retries(RETRIES).build();

        failing.accept("o1", Optional.empty());
        other.runDue();
        assertThat(failing.state("o1")).isEqualTo(OrderState.NEW);
        other.tick(Duration.ofMinutes(1));

        assertThat(flow.told).containsExactly("paid shop-1 by CALLBACK");
        assertThat(failing.state("o1").finished()).isTrue();
    }

    @Test
    void theBuilderRefusesMissingParts() {
        assertThatThrownBy(() -> Reconciler.builder(flow).retries(RETRIES).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Reconciler.builder(flow).scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Reconciler.builder(flow).processingDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reconciler.builder(flow).scheduler(scheduler).retries(RETRIES).build())
                .as("the flow's action type is registered once").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Decision.tellOnce(Decision.SETTLED_FACT, "x", "detail"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Decision.waitFor("x").withFollowUp("ack", ""))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Decision.giveUp(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void followUpsAreMadeInTheOrderTheDecisionAskedForThem() {
        Decision<String> decision = Decision.<String>settle("paid", "paid").withFollowUp("z-first", "1")
                .withFollowUp("a-second", "2").withFollowUp("m-third", "3");
        OrderState state = OrderState.NEW.after(decision, true);

        assertThat(decision.followUps().keySet()).containsExactly("z-first", "a-second", "m-third");
        assertThat(OrderState.fromJson(state.toJson()).followUps().keySet()).containsExactly("z-first", "a-second",
                "m-third");
    }

    @Test
    void theStateSurvivesItsJsonForm() {
        OrderState state = new OrderState(true, java.util.Set.of("a", "b"), Map.of("ack", "", "refs", "1001"));

        assertThat(OrderState.fromJson(state.toJson())).isEqualTo(state);
        assertThatThrownBy(() -> OrderState.fromJson("{}")).isInstanceOf(IllegalStateException.class);
        assertThat(new ArrayList<>(OrderState.NEW.told())).isEmpty();
    }

    /** A flow that passes everything to another, for tests that change one step. */
    private static class DelegatingFlow implements OrderFlow<String, String, String> {
        private final OrderFlow<String, String, String> to;

        DelegatingFlow(OrderFlow<String, String, String> to) {
            this.to = to;
        }

        @Override
        public String name() {
            return to.name();
        }

        @Override
        public Optional<String> findShopOrder(String key, Optional<String> hint) {
            return to.findShopOrder(key, hint);
        }

        @Override
        public String fetch(String key) {
            return to.fetch(key);
        }

        @Override
        public Decision<String> decide(String remote, Optional<String> shopOrder, OrderState state) {
            return to.decide(remote, shopOrder, state);
        }

        @Override
        public void tell(String event, String remote, String shopOrder, Source source) {
            to.tell(event, remote, shopOrder, source);
        }

        @Override
        public void followUp(String key, String name, String argument) {
            to.followUp(key, name, argument);
        }
    }
}
