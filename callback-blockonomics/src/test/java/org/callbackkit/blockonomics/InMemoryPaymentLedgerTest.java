package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;

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
        int orders = 300; // more orders than locks: some orders share one
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
    void anUpdateMayUpdateAnotherOrderFromWithin() {
        OrderPayments outer = ledger.update("order-a", before -> {
            ledger.update("order-b", other -> other.with(paid("tx-b"), PaymentState.PAID));
            return before.with(paid("tx-a"), PaymentState.PAID);
        });

        assertThat(outer.transactions()).hasSize(1);
        assertThat(ledger.find("order-b").orElseThrow().paidAmount()).isEqualTo(1);
    }

    @Test
    void anOrderNeverUpdatedIsNotFound() {
        assertThat(ledger.find("order-x")).isEmpty();
    }

    private static RecordedTransaction paid(String txid) {
        return new RecordedTransaction(new TransactionKey(Crypto.BTC, txid, "addr"), 1, 2, true, false);
    }
}
