package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.state.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} must have. Extend it and create an empty store in
 * {@link #createStore()}.
 */
public abstract class StateStoreContract {

    protected StateStore store;

    /** An empty store. */
    protected abstract StateStore createStore();

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @Test
    void aKeyNotSeenBeforeHasNoDocumentUntilTheFirstUpdateStoresOne() {
        assertThat(store.find("blockonomics.payments", "order-1")).isEmpty();
        List<Optional<String>> seen = new ArrayList<>();

        String stored = store.update("blockonomics.payments", "order-1", before -> {
            seen.add(before);
            return "{\"paid\":1}";
        });

        assertThat(seen).containsExactly(Optional.empty());
        assertThat(stored).isEqualTo("{\"paid\":1}");
        assertThat(store.find("blockonomics.payments", "order-1")).contains("{\"paid\":1}");
    }

    @Test
    void anUpdateSeesTheDocumentItReplaces() {
        store.update("s", "k", before -> "1");
        store.update("s", "k", before -> before.orElseThrow() + "2");

        assertThat(store.update("s", "k", before -> before.orElseThrow() + "3")).isEqualTo("123");
        assertThat(store.find("s", "k")).contains("123");
    }

    @Test
    void anUpdateThatThrowsStoresNothingAndItsExceptionPropagates() {
        store.update("s", "k", before -> "kept");
        IllegalStateException failure = new IllegalStateException("listener failed");

        assertThatThrownBy(() -> store.update("s", "k", before -> {
            throw failure;
        })).isSameAs(failure);
        assertThatThrownBy(() -> store.update("s", "new", before -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(store.find("s", "k")).contains("kept");
        assertThat(store.find("s", "new")).isEmpty();
        assertThat(store.update("s", "new", before -> before.orElse("absent"))).isEqualTo("absent");
    }

    @Test
    void anUpdateThatReturnsNullIsRefusedAndStoresNothing() {
        store.update("s", "k", before -> "kept");

        assertThatThrownBy(() -> store.update("s", "k", before -> null)).isInstanceOf(NullPointerException.class);

        assertThat(store.find("s", "k")).contains("kept");
    }

    @Test
    void scopesAndKeysAreIndependentEvenWhenTheirTextJoinsAlike() {
        store.update("a:b", "c", before -> "first");

        assertThat(store.find("a", "b:c")).isEmpty();
        assertThat(store.find("a:b", "C")).isEmpty();
        assertThat(store.find("other", "c")).isEmpty();
        store.update("a", "b:c", before -> before.orElse("second"));
        assertThat(store.find("a", "b:c")).contains("second");
        assertThat(store.find("a:b", "c")).contains("first");
    }

    @Test
    void keepsLongUnicodeKeysAndLargeDocumentsExactly() {
        String key = "ordre-\u00e5\u00e4\u00f6-" + "x".repeat(200);
        StringBuilder document = new StringBuilder("[");
        for (int i = 0; i < 4_000; i++) {
            document.append(i == 0 ? "" : ",").append("{\"txid\":\"").append(i).append("\",\"note\":\"\u00e5\u20ac\ud83d\ude00\"}");
        }
        String large = document.append(']').toString();

        store.update("ecster.paid", key, before -> large);

        assertThat(store.find("ecster.paid", key)).contains(large);
        assertThat(store.find("ecster.paid", key.substring(0, key.length() - 1))).isEmpty();
    }

    @Test
    void blankScopeOrKeyIsRefused() {
        assertThatThrownBy(() -> store.update(" ", "k", before -> "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.update("s", "", before -> "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.find("", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.find("s", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void updatesOfOneKeyFromManyThreadsNeitherOverlapNorGetLost() throws Exception {
        int threads = 8;
        int updatesEach = 25;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < updatesEach; i++) {
                        store.update("race", "order-1", before -> {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                return Integer.toString(Integer.parseInt(before.orElse("0")) + 1);
                            } finally {
                                inside.decrementAndGet();
                            }
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find("race", "order-1")).as("no update lost").contains(Integer.toString(threads * updatesEach));
        assertThat(mostInside.get()).as("updates of one key at once").isEqualTo(1);
    }

    @Test
    void anUpdateOfOneKeyDoesNotWaitForAnUpdateOfAnother() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> store.update("s", "slow", before -> {
                firstInside.countDown();
                try {
                    assertThat(secondDone.await(30, TimeUnit.SECONDS)).as("the other key's update finished").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return "slow";
            }));
            assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();
            store.update("s", "fast", before -> "fast");
            secondDone.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("slow");
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find("s", "fast")).contains("fast");
    }
}
