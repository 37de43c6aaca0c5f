package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of callbacks (duplicates, out of order, unknown statuses, RBF, reversals)
 * against the rules' invariants. Seeded, so a failure names the seed that reproduces it.
 */
class PaymentRulesPropertyTest {

    private static final String[] TXIDS = {"t1", "t2", "t3", "t4"};
    private static final String[] ADDRESSES = {"a1", "a2"};
    private static final int[] STATUSES = {-2, -1, 0, 0, 1, 1, 2, 2, 2, 3};

    @Test
    void paidNeverExceedsDistinctPaymentsAndStatusesNeverMoveBack() {
        for (long seed = 1; seed <= 3_000; seed++) {
            Random random = new Random(seed);
            Crypto crypto = seed % 2 == 0 ? Crypto.BTC : Crypto.USDT; // not random's first draw: alike for near seeds
            ExpectedPayment expected = new ExpectedPayment("o", crypto, 1 + random.nextInt(1_000));
            PaymentRules rules = new PaymentRules(random.nextInt(3), BigDecimal.valueOf(random.nextInt(5)));
            Map<TransactionKey, Long> valueOf = new HashMap<>(); // a transaction's value never changes
            OrderPayments payments = OrderPayments.open("o");
            Map<TransactionKey, Integer> lastStatus = new HashMap<>();
            Set<TransactionKey> reverted = new HashSet<>();

            for (int step = 0; step < 40; step++) {
                TransactionKey key = new TransactionKey(crypto, TXIDS[random.nextInt(TXIDS.length)],
                        ADDRESSES[random.nextInt(ADDRESSES.length)]);
                long value = valueOf.computeIfAbsent(key, k -> (long) random.nextInt(600));
                BlockonomicsCallback callback = new BlockonomicsCallback(crypto, STATUSES[random.nextInt(STATUSES.length)],
                        key.address(), value, key.txid(), random.nextInt(4) == 0, false);
                boolean settledBefore = payments.state().settled();

                PaymentRules.Decision decision = rules.apply(payments, callback, expected);
                OrderPayments after = decision.payments();

                long distinctSum = after.transactions().values().stream()
                        .filter(t -> !t.reverted()).mapToLong(RecordedTransaction::value).sum();
                assertThat(after.paidAmount()).as("seed %d step %d", seed, step).isLessThanOrEqualTo(distinctSum)
                        .isEqualTo(after.transactions().values().stream().filter(RecordedTransaction::counted)
                                .mapToLong(RecordedTransaction::value).sum());
                for (RecordedTransaction t : after.transactions().values()) {
                    Integer before = lastStatus.get(t.key());
                    if (reverted.contains(t.key())) {
                        assertThat(t.reverted()).as("seed %d: reverted stays reverted", seed).isTrue();
                    } else if (before != null && !t.reverted()) {
                        assertThat(t.status()).as("seed %d step %d: status moved back", seed, step).isGreaterThanOrEqualTo(before);
                    }
                    assertThat(t.counted() && t.reverted()).isFalse();
                    if (t.counted()) {
                        assertThat(t.status()).isBetween(0, 2);
                    }
                    lastStatus.put(t.key(), t.status());
                    if (t.reverted()) {
                        reverted.add(t.key());
                    }
                }
                if (settledBefore && decision.event() != null) {
                    assertThat(decision.event().kind()).as("seed %d: a paid order changes only by a reversal", seed)
                            .isEqualTo(PaymentEvent.Kind.REVERSED_AFTER_PAID);
                }
                if (settledBefore) {
                    assertThat(after.state().settled()).as("seed %d step %d: a paid order was un-paid", seed, step)
                            .isTrue();
                }
                if (decision.event() != null && decision.event().kind() == PaymentEvent.Kind.PAID) {
                    assertThat(callback.status()).isBetween(0, 2);
                }
                // the same callback again changes nothing
                PaymentRules.Decision again = rules.apply(after, callback, expected);
                assertThat(again.payments()).as("seed %d step %d: redelivery changed state", seed, step).isEqualTo(after);
                assertThat(again.duplicate()).as("seed %d step %d: redelivery is a duplicate", seed, step).isTrue();
                payments = after;
            }
        }
    }
}
