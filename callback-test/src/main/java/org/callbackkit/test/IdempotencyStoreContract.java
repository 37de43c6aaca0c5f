package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.state.IdempotencyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdempotencyStore} must have. Extend it and create an empty store in
 * {@link #createStore()}.
 */
public abstract class IdempotencyStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    protected IdempotencyStore store;

    /** An empty store. */
    protected abstract IdempotencyStore createStore();

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void firstMarkWinsAndKeepsItsTime() {
        assertThat(store.isDone("klarna.acknowledged", "order-1")).isFalse();
        assertThat(store.doneAt("klarna.acknowledged", "order-1")).isEmpty();

        assertThat(store.markDone("klarna.acknowledged", "order-1", T0)).isTrue();
        assertThat(store.markDone("klarna.acknowledged", "order-1", T0.plusSeconds(60))).isFalse();

        assertThat(store.isDone("klarna.acknowledged", "order-1")).isTrue();
        assertThat(store.doneAt("klarna.acknowledged", "order-1")).contains(T0);
    }

    @Test
    void scopesAndKeysAreIndependentEvenWhenTheirTextJoinsAlike() {
        store.markDone("a:b", "c", T0);

        assertThat(store.isDone("a", "b:c")).isFalse();
        assertThat(store.isDone("a:b", "C")).isFalse();
        assertThat(store.markDone("a", "b:c", T0)).isTrue();
        assertThat(store.markDone("other", "c", T0)).isTrue();
    }

    @Test
    void keepsLongAndUnicodeKeysExactly() {
        String key = "ordre-\u00e5\u00e4\u00f6-" + "x".repeat(200);

        assertThat(store.markDone("ecster.paid", key, T0)).isTrue();

        assertThat(store.isDone("ecster.paid", key)).isTrue();
        assertThat(store.isDone("ecster.paid", key.substring(0, key.length() - 1))).isFalse();
    }

    @Test
    void blankScopeOrKeyIsRefused() {
        assertThatThrownBy(() -> store.markDone(" ", "k", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.markDone("s", "", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.doneAt("", "k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofManyThreadsMarkingOneKeyExactlyOneIsFirst() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "order-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.markDone("race", key, T0);
                    }));
                }
                start.countDown();
                int first = 0;
                for (Future<Boolean> result : results) {
                    first += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(first).as("winners for " + key).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
