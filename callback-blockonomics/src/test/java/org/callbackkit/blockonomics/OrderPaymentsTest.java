package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transactions map: copied, kept in order, and free of nulls whatever its size. */
class OrderPaymentsTest {

    @ParameterizedTest(name = "beside {0} other transactions")
    @ValueSource(ints = {0, 1, 2})
    void aNullTransactionOrKeyIsRefused(int others) {
        Map<TransactionKey, RecordedTransaction> withNullKey = transactions(others);
        withNullKey.put(null, paid("tx-null"));
        Map<TransactionKey, RecordedTransaction> withNullValue = transactions(others);
        withNullValue.put(paid("tx-null").key(), null);

        assertThatThrownBy(() -> new OrderPayments("o", PaymentState.OPEN, withNullKey, Set.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new OrderPayments("o", PaymentState.OPEN, withNullValue, Set.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "{0} transactions")
    @ValueSource(ints = {1, 3})
    void theTransactionsAreACopyInTheOrderGiven(int count) {
        Map<TransactionKey, RecordedTransaction> given = transactions(count);
        OrderPayments payments = new OrderPayments("o", PaymentState.OPEN, given, Set.of());
        given.clear();

        assertThat(payments.transactions().keySet()).extracting(TransactionKey::txid)
                .containsExactlyElementsOf(transactions(count).keySet().stream().map(TransactionKey::txid).toList());
        assertThatThrownBy(() -> payments.transactions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTransactionAddedLaterComesLast() {
        OrderPayments payments = OrderPayments.open("o").with(paid("tx-b"), PaymentState.UNDERPAID)
                .with(paid("tx-a"), PaymentState.UNDERPAID).with(paid("tx-c"), PaymentState.PAID);

        assertThat(payments.transactions().keySet()).extracting(TransactionKey::txid)
                .containsExactly("tx-b", "tx-a", "tx-c");
    }

    @Test
    void aTransactionRecordedAgainReplacesItsEarlierRecordInPlace() {
        RecordedTransaction seen = new RecordedTransaction(paid("tx-a").key(), 1, 1, false, false);
        OrderPayments one = OrderPayments.open("o").with(seen, PaymentState.OPEN).with(paid("tx-a"), PaymentState.PAID);
        OrderPayments two = one.with(paid("tx-b"), PaymentState.OVERPAID).with(seen, PaymentState.OVERPAID);

        assertThat(one.transactions()).containsOnly(Map.entry(paid("tx-a").key(), paid("tx-a")));
        assertThat(two.transactions().keySet()).extracting(TransactionKey::txid).containsExactly("tx-a", "tx-b");
        assertThat(two.transaction(seen.key())).contains(seen);
    }

    /** {@code count} transactions, tx-9 first and down, in a map that takes nulls. */
    private static Map<TransactionKey, RecordedTransaction> transactions(int count) {
        Map<TransactionKey, RecordedTransaction> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            RecordedTransaction transaction = paid("tx-" + (9 - i));
            map.put(transaction.key(), transaction);
        }
        return map;
    }

    private static RecordedTransaction paid(String txid) {
        return new RecordedTransaction(new TransactionKey(Crypto.BTC, txid, "addr"), 1, 2, true, false);
    }
}
