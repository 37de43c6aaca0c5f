package org.callbackkit.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The worker threads of the in-memory scheduler. The contract (dedup, retries, health, ...) runs
 * in callback-test; here only what needs real threads. Waits are on events, never on time.
 */
class InMemoryDelayedActionSchedulerTest {

    @Test
    void workersRunDueActionsByThemselves() throws Exception {
        try (InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(2).build()) {
            CountDownLatch ran = new CountDownLatch(2);
            List<String> threads = new CopyOnWriteArrayList<>();
            scheduler.register("t", context -> {
                threads.add(Thread.currentThread().getName());
                ran.countDown();
                return ActionResult.done();
            });
            scheduler.schedule(new DelayedAction("t", "a", "{}", Clock.systemUTC().instant()));
            scheduler.schedule(new DelayedAction("t", "b", "{}", Clock.systemUTC().instant()));

            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("callback-actions-"));
        }
    }

    @Test
    void closeWaitsForTheRunningActionAndThenRefusesNewOnes() throws Exception {
        InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(1).build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        scheduler.register("slow", context -> {
            started.countDown();
            release.await();
            events.add("action finished");
            return ActionResult.done();
        });
        scheduler.schedule(new DelayedAction("slow", "k", "{}", Clock.systemUTC().instant()));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(() -> {
            scheduler.close();
            events.add("close returned");
        });
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(10_000);

        assertThat(events).containsExactly("action finished", "close returned");
        assertThat(scheduler.health().running()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> scheduler.schedule(new DelayedAction("slow", "k2", "{}", Clock.systemUTC().instant())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHandlerErrorDoesNotStopTheWorkers() throws Exception {
        try (InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(1).build()) {
            CountDownLatch healthyRan = new CountDownLatch(1);
            scheduler.register("broken", context -> {
                throw new AssertionError("bug");
            });
            scheduler.register("healthy", context -> {
                healthyRan.countDown();
                return ActionResult.done();
            });
            scheduler.schedule(new DelayedAction("broken", "k", "{}", Clock.systemUTC().instant()));
            scheduler.schedule(new DelayedAction("healthy", "k", "{}", Clock.systemUTC().instant()));

            assertThat(healthyRan.await(10, TimeUnit.SECONDS)).isTrue();
            // one worker runs them in order, so the broken one has finished before the healthy one starts
            assertThat(scheduler.pending()).filteredOn(p -> p.action().type().equals("broken")).singleElement()
                    .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("bug")));
        }
    }

    @Test
    void healthCountsRunningActions() throws Exception {
        try (InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(1)
                .closeTimeout(Duration.ofSeconds(5)).build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            scheduler.register("slow", context -> {
                started.countDown();
                release.await();
                return ActionResult.done();
            });
            scheduler.schedule(new DelayedAction("slow", "k", "{}", Clock.systemUTC().instant()));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(scheduler.health().running()).isEqualTo(1);
            assertThat(scheduler.pending()).singleElement().satisfies(p -> assertThat(p.running()).isTrue());
            release.countDown();
        }
    }
}
