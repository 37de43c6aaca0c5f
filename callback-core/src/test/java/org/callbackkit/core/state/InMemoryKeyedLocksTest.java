package org.callbackkit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryKeyedLocksTest {

    private final InMemoryKeyedLocks locks = new InMemoryKeyedLocks();

    @Test
    void workForOneKeyNeverOverlapsAndTheLockIsDroppedAfterwards() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return locks.withLock("order-1", () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        return inside.decrementAndGet();
                    });
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxInside).hasValue(1);
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void differentKeysDoNotWaitForEachOther() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherKeyRan = new CountDownLatch(1);
        Thread holder = new Thread(() -> locks.withLock("order-1", () -> {
            holding.countDown();
            await(release);
            return null;
        }));
        holder.start();
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        Thread other = new Thread(() -> locks.withLock("order-2", () -> {
            otherKeyRan.countDown();
            return null;
        }));
        other.start();

        // order-1 is held until after this check: sharing its lock, order-2 could not have run.
        boolean ran = otherKeyRan.await(30, TimeUnit.SECONDS);
        release.countDown();
        holder.join(30_000);
        other.join(30_000);

        assertThat(ran).isTrue();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void isReentrantAndReleasesWhenTheWorkThrows() {
        assertThat(locks.withLock("k", () -> locks.withLock("k", () -> 42))).isEqualTo(42);

        assertThatThrownBy(() -> locks.withLock("k", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(locks.activeKeys()).isZero();
        assertThat(locks.withLock("k", () -> "again")).isEqualTo("again");
    }

    @Test
    void blankKeyIsRefused() {
        assertThatThrownBy(() -> locks.withLock(" ", () -> 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
