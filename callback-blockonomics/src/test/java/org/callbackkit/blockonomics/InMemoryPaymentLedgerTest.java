package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryPaymentLedgerTest {

    private final InMemoryPaymentLedger ledger = new InMemoryPaymentLedger();

    @Test
    void concurrentUpdatesOfManyOrdersLoseNone() throws Exception {
        int threads = 8;
        int updatesPerThread = 600;
        int orders = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < updatesPerThread; i++) {
                        String txid = "tx-" + thread + "-" + i;
                        ledger.update("order-" + (i % orders), before -> before.with(
                                paid(txid),
                                PaymentState.PAID));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long recorded = 0;
        for (int order = 0; order < orders; order++) {
            recorded += ledger.find("order-" + order).orElseThrow().transactions().size();
        }
        assertThat(recorded).isEqualTo((long) threads * updatesPerThread);
    }

    @Test
    void anUpdateThatWaitsHoldsUpNoOtherOrderEvenOneWithTheSameHash() throws Exception {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> slow = pool.submit(() -> ledger.update("Aa", before -> {
                inside.countDown();
                await(release); // a listener doing slow work inside the order's update
                return before.with(paid("tx-a"), PaymentState.PAID);
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

            OrderPayments other = ledger.update("BB", before -> before.with(paid("tx-b"), PaymentState.PAID));

            assertThat(other.paidAmount()).isEqualTo(1);
            release.countDown();
            slow.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void anUpdateMayUpdateAnotherOrderFromWithin() {
        OrderPayments outer = ledger.update("order-a", before -> {
            ledger.update("order-b", other -> other.with(paid("tx-b"), PaymentState.PAID));
            return before.with(paid("tx-a"), PaymentState.PAID);
        });

        assertThat(outer.transactions()).hasSize(1);
        assertThat(ledger.find("order-b").orElseThrow().paidAmount()).isEqualTo(1);
    }

    @Test
    void anUpdateThatThrowsStoresNothing() {
        assertThatThrownBy(() -> ledger.update("order-t", before -> {
            throw new IllegalStateException("listener failed");
        })).hasMessage("listener failed");
        assertThat(ledger.find("order-t")).isEmpty();

        ledger.update("order-t", before -> before.with(paid("tx-1"), PaymentState.PAID));
        assertThatThrownBy(() -> ledger.update("order-t", before -> null)).isInstanceOf(NullPointerException.class);
        assertThat(ledger.find("order-t")).get().extracting(OrderPayments::state).isEqualTo(PaymentState.PAID);
    }

    @Test
    void anOrderNeverUpdatedIsNotFound() {
        assertThat(ledger.find("order-x")).isEmpty();
    }

    private static RecordedTransaction paid(String txid) {
        return new RecordedTransaction(new TransactionKey(Crypto.BTC, txid, "addr"), 1, 2, true, false);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
