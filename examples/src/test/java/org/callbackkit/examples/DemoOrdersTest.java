package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DemoOrdersTest {

    private final DemoOrders orders = new DemoOrders();

    @Test
    void anOrderIsPaidOnceHoweverOftenAndConcurrentlyItIsMarked() throws Exception {
        orders.add("1", 100);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            Callable<Boolean> markPaid = () -> {
                go.await();
                return orders.markPaid("1");
            };
            for (int i = 0; i < threads * 4; i++) {
                results.add(pool.submit(markPaid));
            }
            go.countDown();
            int transitions = 0;
            for (Future<Boolean> result : results) {
                transitions += result.get() ? 1 : 0;
            }
            assertThat(transitions).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(orders.paidTransitions()).isEqualTo(1);
        assertThat(orders.find("1").orElseThrow().status()).isEqualTo(DemoOrders.Status.PAID);
    }

    @Test
    void unknownAndDuplicateOrdersAreRefused() {
        orders.add("1", 100);
        assertThatThrownBy(() -> orders.add("1", 200)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> orders.markPaid("2")).isInstanceOf(IllegalArgumentException.class);
        assertThat(orders.find("2")).isEmpty();
    }
}
