package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.blockonomics.PaymentEvent.Kind;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.state.InMemoryStateStore;
import org.junit.jupiter.api.Test;

/** The ledger in a state store: its JSON document, its update rules, and a module restarted on it. */
class StoredPaymentLedgerTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String ADDR = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    private static final TransactionKey TX1 = new TransactionKey(Crypto.BTC, "tx1", ADDR);

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final StoredPaymentLedger ledger = new StoredPaymentLedger(store);

    @Test
    void anOrderIsOneDocumentUnderTheLedgersScopeKeyedByOrderId() {
        OrderPayments stored = ledger.update("order-1", before -> before
                .with(new RecordedTransaction(TX1, 100_000, 2, true, false), PaymentState.PAID)
                .withIgnored(new OrderPayments.IgnoredCallback(new TransactionKey(Crypto.BTC, "tx0", ADDR), 0)));

        assertThat(store.find(PaymentLedger.STATE_SCOPE, "order-1")).contains("{\"format\":1,\"orderId\":\"order-1\","
                + "\"state\":\"PAID\",\"transactions\":[{\"crypto\":\"BTC\",\"txid\":\"tx1\",\"address\":\"" + ADDR
                + "\",\"value\":100000,\"status\":2,\"counted\":true,\"reverted\":false}],\"ignored\":[{\"crypto\":\"BTC\","
                + "\"txid\":\"tx0\",\"address\":\"" + ADDR + "\",\"status\":0}]}");
        assertThat(ledger.find("order-1")).contains(stored);
        assertThat(stored.paidAmount()).isEqualTo(100_000);
        assertThat(ledger.find("order-2")).isEmpty();
    }

    @Test
    void everyStateTheRulesReachReadsBackEqualAndInTheOrderFirstSeen() {
        String[] txids = {"t1", "t2", "t3"};
        String[] addresses = {"a1", "a2"};
        int[] statuses = {-2, -1, 0, 1, 2, 2, 3};
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            Crypto crypto = Crypto.values()[random.nextInt(Crypto.values().length)];
            ExpectedPayment expected = new ExpectedPayment("o", crypto, 1 + random.nextInt(1_000));
            PaymentRules rules = new PaymentRules(random.nextInt(3), BigDecimal.valueOf(random.nextInt(5)));
            OrderPayments payments = OrderPayments.open("o");
            for (int step = 0; step < 30; step++) {
                Crypto paidIn = random.nextInt(5) == 0 ? Crypto.BTC : crypto;
                BlockonomicsCallback callback = new BlockonomicsCallback(paidIn, statuses[random.nextInt(statuses.length)],
                        addresses[random.nextInt(addresses.length)], random.nextInt(600), txids[random.nextInt(txids.length)],
                        random.nextBoolean(), false);
                payments = rules.apply(payments, callback, expected).payments();

                OrderPayments read = ledger.read("o", ledger.write(payments));
                if (!read.equals(payments) || !List.copyOf(read.transactions().keySet())
                        .equals(List.copyOf(payments.transactions().keySet()))) {
                    assertThat(read).as("seed %d step %d", seed, step).isEqualTo(payments);
                    assertThat(List.copyOf(read.transactions().keySet())).as("order first seen, seed %d step %d", seed, step)
                            .isEqualTo(List.copyOf(payments.transactions().keySet()));
                }
            }
        }
    }

    @Test
    void anUpdateThatThrowsOrAnswersForAnotherOrderStoresNothing() {
        ledger.update("order-1", before -> before.with(new RecordedTransaction(TX1, 1, 0, false, false),
                PaymentState.AWAITING_CONFIRMATIONS));
        String document = store.find(PaymentLedger.STATE_SCOPE, "order-1").orElseThrow();
        IllegalStateException listenerFailed = new IllegalStateException("shop database down");

        assertThatThrownBy(() -> ledger.update("order-1", before -> {
            throw listenerFailed;
        })).isSameAs(listenerFailed);
        assertThatThrownBy(() -> ledger.update("order-1", before -> OrderPayments.open("order-2")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("order-2");
        assertThatThrownBy(() -> ledger.update("order-1", before -> null)).isInstanceOf(NullPointerException.class);

        assertThat(store.find(PaymentLedger.STATE_SCOPE, "order-1")).contains(document);
    }

    @Test
    void aDocumentItCannotReadIsAnErrorNamingTheOrderNotAnEmptyLedger() {
        for (String document : List.of("{}", "not json", "{\"format\":2,\"orderId\":\"order-1\"}",
                ledger.write(OrderPayments.open("order-9")),
                ledger.write(OrderPayments.open("order-1")).replace("\"OPEN\"", "\"LOST\""),
                ledger.write(OrderPayments.open("order-1")).replace("\"format\":1", "\"format\":\"1\""))) {
            store.update(PaymentLedger.STATE_SCOPE, "order-1", before -> document);

            assertThatThrownBy(() -> ledger.find("order-1")).as(document).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("order order-1").hasMessageContaining(PaymentLedger.STATE_SCOPE);
            assertThatThrownBy(() -> ledger.update("order-1", before -> before)).isInstanceOf(IllegalStateException.class);
            assertThat(store.find(PaymentLedger.STATE_SCOPE, "order-1")).contains(document);
        }
    }

    @Test
    void aModuleStartedAgainOnTheSameStoreCountsARedeliveredPaymentOnce() {
        List<PaymentEvent> events = new CopyOnWriteArrayList<>();
        BlockonomicsCallbackRequests requests = new BlockonomicsCallbackRequests(SECRET);

        CallbackRouter first = router(events);
        assertThat(first.dispatch(requests.confirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);

        CallbackRouter restarted = router(events);
        assertThat(restarted.dispatch(requests.confirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);
        assertThat(restarted.journal().find(JournalQuery.all()).get(0).outcome())
                .isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(events).extracting(PaymentEvent::kind).containsExactly(Kind.PAID);
        assertThat(PaymentLedger.in(store).find("order-1").orElseThrow().paidAmount()).isEqualTo(100_000);
    }

    private CallbackRouter router(List<PaymentEvent> events) {
        BlockonomicsCallbacks module = BlockonomicsCallbacks.builder().secret(SECRET)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return Optional.ofNullable(Map.of(ADDR, new ExpectedPayment("order-1", Crypto.BTC, 100_000))
                                .get(callback.address()));
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        events.add(event);
                    }
                })
                .stateStore(store)
                .build();
        return CallbackRouter.builder().journal(new InMemoryCallbackJournal()).endpoints(module.endpoints()).build();
    }
}
