package org.callbackkit.test;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.ActionQuery;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DelayedActionScheduler} must have. Extend it, create the
 * implementation under test in {@link #createScheduler}, and make {@link #runDue} run every due
 * action on the calling thread (a durable implementation uses its store's manual trigger).
 *
 * <p>Time is a {@link MutableClock} the contract moves; nothing sleeps.
 */
public abstract class DelayedActionSchedulerContract {

    /** The default retries the contract asks for: 4 attempts, 10 s, 20 s, 40 s apart. */
    protected static final RetrySchedule RETRIES = RetrySchedule.exponential(ofSeconds(10), 2.0, ofMinutes(10), 4);

    /** The overdue threshold the contract asks for. */
    protected static final Duration OVERDUE_AFTER = ofMinutes(5);

    protected MutableClock clock;
    protected DelayedActionScheduler scheduler;

    /**
     * Creates the scheduler under test: it reads {@code clock}, retries types registered without a
     * schedule per {@code defaultRetries}, calls a waiting action overdue after {@code overdueAfter},
     * and runs nothing on its own (only from {@link #runDue}).
     */
    protected abstract DelayedActionScheduler createScheduler(MutableClock clock, RetrySchedule defaultRetries,
            Duration overdueAfter);

    /** Runs every action due now on the calling thread, and returns when they have ended. */
    protected abstract void runDue(DelayedActionScheduler scheduler);

    @BeforeEach
    void createSchedulerUnderTest() {
        clock = MutableClock.atFixedStart();
        scheduler = createScheduler(clock, RETRIES, OVERDUE_AFTER);
    }

    @AfterEach
    void closeSchedulerUnderTest() {
        scheduler.close();
    }

    private DelayedAction action(String type, String key, Duration delay) {
        return new DelayedAction(type, key, "{\"key\":\"" + key + "\"}", clock.instant().plus(delay));
    }

    private void tick(Duration duration) {
        clock.advance(duration);
        runDue(scheduler);
    }

    @Test
    void schedulingTheSameTypeAndKeyWhilePendingIsANoOp() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler.register("t", context -> {
            ran.add(context.key());
            return ActionResult.done();
        });

        assertThat(scheduler.schedule(action("t", "order-1", ofSeconds(5)))).isTrue();
        assertThat(scheduler.schedule(action("t", "order-1", ofSeconds(1)))).isFalse();
        assertThat(scheduler.schedule(action("t", "order-2", ofSeconds(5)))).isTrue();
        assertThat(scheduler.schedule(action("other", "order-1", ofSeconds(5)))).isTrue();
        assertThat(scheduler.pending()).hasSize(3);

        tick(ofSeconds(5));
        assertThat(ran).containsExactlyInAnyOrder("order-1", "order-2");
    }

    @Test
    void runsNothingBeforeItIsDue() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> {
            runs.incrementAndGet();
            return ActionResult.done();
        });
        scheduler.schedule(action("t", "k", ofMinutes(2)));

        tick(ofSeconds(119));
        assertThat(runs).hasValue(0);
        tick(ofSeconds(1));
        assertThat(runs).hasValue(1);
        assertThat(scheduler.pending()).isEmpty();
        tick(ofMinutes(10));
        assertThat(runs).hasValue(1);
    }

    @Test
    void runsInOrderOfDueTime() {
        List<String> ran = new ArrayList<>();
        scheduler.register("t", context -> {
            ran.add(context.key());
            return ActionResult.done();
        });
        scheduler.schedule(action("t", "c", ofSeconds(30)));
        scheduler.schedule(action("t", "a", ofSeconds(10)));
        scheduler.schedule(action("t", "b", ofSeconds(20)));

        tick(ofMinutes(1));
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void handsTheHandlerTheActionAsScheduled() {
        List<ActionContext> seen = new ArrayList<>();
        scheduler.register("t", context -> {
            seen.add(context);
            return ActionResult.done();
        });
        DelayedAction action = new DelayedAction("t", "k", "{\"amount\":12345,\"currency\":\"SEK\",\"name\":\"Åsa\"}",
                clock.instant());
        scheduler.schedule(action);

        runDue(scheduler);
        assertThat(seen).singleElement().satisfies(context -> {
            assertThat(context.type()).isEqualTo("t");
            assertThat(context.key()).isEqualTo("k");
            assertThat(context.payload()).isEqualTo(action.payload());
            assertThat(context.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aThrowingHandlerIsRetriedWithBackoffThenKeptDead() {
        List<Integer> attempts = new ArrayList<>();
        scheduler.register("t", context -> {
            attempts.add(context.attempt());
            throw new IllegalStateException("provider API down (attempt " + context.attempt() + ")");
        });
        Instant start = clock.instant();
        scheduler.schedule(action("t", "k", Duration.ZERO));

        runDue(scheduler);
        assertThat(attempts).containsExactly(1);
        tick(ofSeconds(9));
        assertThat(attempts).containsExactly(1);
        tick(ofSeconds(1));
        assertThat(attempts).containsExactly(1, 2);
        assertThat(scheduler.pending()).singleElement().satisfies(p -> {
            assertThat(p.attempts()).isEqualTo(2);
            assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("attempt 2"));
            assertThat(p.action().runAt()).isEqualTo(start.plusSeconds(10 + 20));
        });
        tick(ofSeconds(19));
        assertThat(attempts).containsExactly(1, 2);
        tick(ofSeconds(1));
        tick(ofSeconds(40));
        assertThat(attempts).containsExactly(1, 2, 3, 4);

        assertThat(scheduler.pending()).isEmpty();
        List<DeadAction> dead = scheduler.dead();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.action().key()).isEqualTo("k");
            assertThat(d.attempts()).isEqualTo(4);
            assertThat(d.lastError()).contains("provider API down (attempt 4)");
            assertThat(d.diedAt()).isEqualTo(start.plusSeconds(70));
        });
        assertThat(scheduler.health().dead()).isEqualTo(1);
        assertThat(scheduler.health().healthy()).isFalse();
        tick(ofHours(1));
        assertThat(attempts).hasSize(4);
    }

    private static Duration ofHours(int hours) {
        return Duration.ofHours(hours);
    }

    @Test
    void aHandlerThrowingAnErrorIsRetriedAndBlocksNothing() {
        AtomicInteger runs = new AtomicInteger();
        List<String> others = new ArrayList<>();
        scheduler.register("t", context -> {
            if (runs.incrementAndGet() == 1) {
                throw new AssertionError("bug in the handler");
            }
            return ActionResult.done();
        });
        scheduler.register("other", context -> {
            others.add(context.key());
            return ActionResult.done();
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));
        scheduler.schedule(action("other", "k", Duration.ZERO));

        runDue(scheduler);
        assertThat(others).containsExactly("k");
        assertThat(scheduler.health().running()).isZero();
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("bug in the handler")));
        tick(ofSeconds(10));
        assertThat(runs).hasValue(2);
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void aFollowUpOfAnActionThatGaveUpSupersedesTheDeadRecordAndGetsItsOwnRetries() {
        List<Integer> attempts = new ArrayList<>();
        scheduler.register("t", context -> {
            attempts.add(context.attempt());
            if (context.payload().contains("first")) {
                scheduler.schedule(new DelayedAction("t", "k", "{\"v\":\"second\"}", clock.instant()));
                return ActionResult.giveUp("first one cannot be done");
            }
            return ActionResult.done();
        });
        scheduler.schedule(new DelayedAction("t", "k", "{\"v\":\"first\"}", clock.instant()));

        runDue(scheduler);
        runDue(scheduler);
        assertThat(attempts).containsExactly(1, 1);
        assertThat(scheduler.dead()).isEmpty();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void anActionThatSucceedsOnRetryIsForgotten() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("timeout");
            }
            return ActionResult.done();
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));

        runDue(scheduler);
        tick(ofSeconds(10));
        assertThat(runs).hasValue(2);
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
        assertThat(scheduler.health().healthy()).isTrue();
    }

    @Test
    void retryAfterUsesTheGivenDelayAndCountsAsAnAttempt() {
        List<Integer> attempts = new ArrayList<>();
        scheduler.register("t", context -> {
            attempts.add(context.attempt());
            return ActionResult.retryAfter(ofMinutes(30), "shop order not found yet");
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));

        runDue(scheduler);
        tick(ofMinutes(29));
        assertThat(attempts).containsExactly(1);
        tick(ofMinutes(1));
        tick(ofMinutes(30));
        tick(ofMinutes(30));
        assertThat(attempts).containsExactly(1, 2, 3, 4);
        assertThat(scheduler.dead()).singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("shop order not found yet"));
    }

    @Test
    void giveUpIsDeadAtOnceWithTheReason() {
        scheduler.register("t", context -> ActionResult.giveUp("amount mismatch: 100 != 90"));
        scheduler.schedule(action("t", "k", Duration.ZERO));

        runDue(scheduler);
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastError()).isEqualTo("amount mismatch: 100 != 90");
        });
    }

    @Test
    void aTypeRegisteredWithItsOwnScheduleRetriesByIt() {
        List<Integer> attempts = new ArrayList<>();
        scheduler.register("t", context -> {
            attempts.add(context.attempt());
            throw new IllegalStateException("down");
        }, RetrySchedule.fixed(ofMinutes(1), 2));
        scheduler.schedule(action("t", "k", Duration.ZERO));

        runDue(scheduler);
        tick(ofMinutes(1));
        assertThat(attempts).containsExactly(1, 2);
        assertThat(scheduler.dead()).hasSize(1);
    }

    @Test
    void anActionWithoutAHandlerFailsAndSaysWhy() {
        scheduler.schedule(action("nobody.handles", "k", Duration.ZERO));

        runDue(scheduler);
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("nobody.handles")));
    }

    @Test
    void registeringATypeTwiceIsRefused() {
        scheduler.register("t", context -> ActionResult.done());
        assertThatThrownBy(() -> scheduler.register("t", context -> ActionResult.done()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void healthReportsOverdueActionsWhenNothingRuns() {
        scheduler.register("t", context -> ActionResult.done());
        Instant due = clock.instant().plus(ofMinutes(2));
        scheduler.schedule(action("t", "late", ofMinutes(2)));
        scheduler.schedule(action("t", "later", ofMinutes(30)));

        clock.advance(ofMinutes(7)); // the "cron" never fires: nobody calls runDue
        SchedulerHealth stuck = scheduler.health();
        assertThat(stuck.pending()).isEqualTo(2);
        assertThat(stuck.overdue()).isZero(); // due 5 min ago: not yet overdue

        clock.advance(ofSeconds(1));
        stuck = scheduler.health();
        assertThat(stuck.overdue()).isEqualTo(1);
        assertThat(stuck.oldestOverdueSince()).contains(due);
        assertThat(stuck.healthy()).isFalse();

        runDue(scheduler);
        SchedulerHealth recovered = scheduler.health();
        assertThat(recovered.overdue()).isZero();
        assertThat(recovered.pending()).isEqualTo(1);
        assertThat(recovered.healthy()).isTrue();
    }

    @Test
    void oneKeyScheduledFromManyThreadsAtOnceIsOneAction() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> {
            runs.incrementAndGet();
            return ActionResult.done();
        });
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                accepted.add(pool.submit(() -> {
                    go.await();
                    int count = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (scheduler.schedule(action("t", "same-order", ofSeconds(1)))) {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> future : accepted) {
                total += future.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(scheduler.pending()).hasSize(1);
        tick(ofSeconds(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void theSameKeyCanBeScheduledAgainOnceDone() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> {
            runs.incrementAndGet();
            return ActionResult.done();
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));
        runDue(scheduler);

        assertThat(scheduler.schedule(action("t", "k", Duration.ZERO))).isTrue();
        runDue(scheduler);
        assertThat(runs).hasValue(2);
    }

    @Test
    void schedulingWhileTheSameKeyRunsQueuesAFollowUpThatRunsAfter() {
        List<String> payloads = new ArrayList<>();
        scheduler.register("t", context -> {
            payloads.add(context.payload());
            if (payloads.size() == 1) { // news for the same order arrives while this run is under way
                assertThat(scheduler.schedule(new DelayedAction("t", "k", "{\"v\":2}", clock.instant()))).isTrue();
                assertThat(scheduler.schedule(new DelayedAction("t", "k", "{\"v\":3}", clock.instant()))).isFalse();
            }
            return ActionResult.done();
        });
        scheduler.schedule(new DelayedAction("t", "k", "{\"v\":1}", clock.instant()));

        runDue(scheduler);
        runDue(scheduler);
        assertThat(payloads).containsExactly("{\"v\":1}", "{\"v\":2}");
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void runNowRevivesADeadActionWithItsPayloadAndFreshAttempts() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> {
            seen.add(context.attempt() + " " + context.action().payload());
            return runs.incrementAndGet() == 1 ? ActionResult.giveUp("order missing") : ActionResult.done();
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));
        runDue(scheduler);
        assertThat(scheduler.dead()).hasSize(1);
        clock.advance(ofMinutes(30));

        assertThat(scheduler.runNow("t", "k")).isTrue();
        assertThat(scheduler.dead()).isEmpty();
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.action().runAt()).isEqualTo(clock.instant()));
        runDue(scheduler);
        assertThat(seen).containsExactly("1 {\"key\":\"k\"}", "1 {\"key\":\"k\"}");
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void runNowMakesAWaitingActionDueAndKeepsItsAttempts() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        scheduler.register("t", context -> {
            attempts.add(context.attempt());
            return context.attempt() == 1 ? ActionResult.retryAfter(ofMinutes(10), "not yet") : ActionResult.done();
        });
        scheduler.schedule(action("t", "k", Duration.ZERO));
        scheduler.schedule(action("t", "later", ofMinutes(60)));
        runDue(scheduler);
        assertThat(attempts).containsExactly(1);

        assertThat(scheduler.runNow("t", "k")).isTrue();
        runDue(scheduler);
        assertThat(attempts).containsExactly(1, 2);
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.action().key()).isEqualTo("later"));
    }

    @Test
    void anOrdersActionsAreListedByItsReferenceAndAnyListByItsLimit() {
        scheduler.register("dies", context -> ActionResult.giveUp("order missing"));
        scheduler.register("waits", context -> ActionResult.done());
        scheduler.schedule(action("dies", "4711/ORDER_CAPTURED", Duration.ZERO));
        scheduler.schedule(action("dies", "47110", Duration.ZERO));
        runDue(scheduler);
        scheduler.schedule(action("waits", "4711", ofMinutes(20)));
        scheduler.schedule(action("waits", "4711/ANY", ofMinutes(10)));
        scheduler.schedule(action("waits", "4712", ofMinutes(5)));
        scheduler.schedule(action("dies", "other", ofMinutes(30)));

        assertThat(scheduler.pending(ActionQuery.aboutOrder("4711", 10))).extracting(p -> p.action().key())
                .containsExactly("4711/ANY", "4711");
        assertThat(scheduler.pending(ActionQuery.aboutOrder("4711", 1))).extracting(p -> p.action().key())
                .containsExactly("4711/ANY");
        assertThat(scheduler.pending(ActionQuery.first(2))).extracting(p -> p.action().key())
                .containsExactly("4712", "4711/ANY");
        assertThat(scheduler.dead(ActionQuery.aboutOrder("4711", 10))).extracting(d -> d.action().key())
                .containsExactly("4711/ORDER_CAPTURED");
        assertThat(scheduler.dead(ActionQuery.aboutOrder("471", 10))).isEmpty();
        assertThat(scheduler.dead(ActionQuery.first(1))).hasSize(1);
        assertThat(scheduler.dead(ActionQuery.first(10))).hasSize(2);
    }

    @Test
    void runNowOfNothingWaitingOrDeadIsFalse() {
        scheduler.register("t", context -> ActionResult.done());
        assertThat(scheduler.runNow("t", "nothing")).isFalse();
        scheduler.schedule(action("t", "k", Duration.ZERO));
        runDue(scheduler);
        assertThat(scheduler.runNow("t", "k")).isFalse();
    }

    @Test
    void schedulingADeadKeyAgainSupersedesIt() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.register("t", context -> runs.incrementAndGet() == 1
                ? ActionResult.giveUp("order missing")
                : ActionResult.done());
        scheduler.schedule(action("t", "k", Duration.ZERO));
        runDue(scheduler);
        assertThat(scheduler.dead()).hasSize(1);

        assertThat(scheduler.schedule(action("t", "k", Duration.ZERO))).isTrue();
        runDue(scheduler);
        assertThat(scheduler.dead()).isEmpty();
        assertThat(runs).hasValue(2);
    }

    @Test
    void invalidActionsAreRefusedAtOnce() {
        assertThatThrownBy(() -> new DelayedAction("t", "k", "not json", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DelayedAction("t", " ", "{}", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DelayedAction("t", "k", "{} {}", clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeWaitsForARunningActionThenRefusesNewOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        scheduler.register("slow", context -> {
            started.countDown();
            release.await();
            events.add("action finished");
            return ActionResult.done();
        });
        scheduler.schedule(action("slow", "k", Duration.ZERO));
        Thread runner = new Thread(() -> runDue(scheduler));
        runner.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(() -> {
            scheduler.close();
            events.add("close returned");
        });
        closer.start();
        while (closer.isAlive() && closer.getState() != Thread.State.WAITING
                && closer.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(30_000);
        runner.join(30_000);

        assertThat(events).containsExactly("action finished", "close returned");
        assertThatThrownBy(() -> scheduler.schedule(action("slow", "k2", Duration.ZERO)))
                .isInstanceOf(IllegalStateException.class);
    }
}
