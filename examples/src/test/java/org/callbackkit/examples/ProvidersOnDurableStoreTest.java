package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.blockonomics.PaymentLedger;
import org.callbackkit.blockonomics.PaymentState;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider modules on the durable store, unchanged: a callback answered 200 before the shop
 * stops is worked after it starts again, once, and what was done stays done.
 */
class ProvidersOnDurableStoreTest {

    private static final String KLARNA_ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";
    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";
    private static final String ECSTER_ORDER = "ecsterOrder0001";
    private static final String BLOCKONOMICS_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String BITCOIN_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atFixedStart();

    /** A store driven by {@code runDue()} on the test's clock, in the same SQLite file every time. */
    private JdbcCallbackStore store() {
        return JdbcCallbackStore.sqlite(dir.resolve("shop.db")).clock(clock).threads(0).build();
    }

    @Test
    void aKlarnaPushAnsweredBeforeARestartIsConfirmedAndAcknowledgedOnceAfterIt() {
        FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
        klarnaApi.putOrder(KlarnaOrderBuilder.order(KLARNA_ORDER).line("sku-1", 1, 24900).build());
        Shop shop = new Shop();
        KlarnaCallbackRequests requests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);

        try (JdbcCallbackStore store = store(); KlarnaCallbacks klarna = klarna(store, klarnaApi, shop)) {
            CallbackRouter router = router(store, klarna);
            store.start();
            assertThat(router.dispatch(requests.push(KLARNA_ORDER).receivedAt(clock.instant()).build()).status())
                    .isEqualTo(200);
            // the shop stops before the push work ran
        }
        assertThat(klarnaApi.acknowledged()).isEmpty();

        try (JdbcCallbackStore store = store(); KlarnaCallbacks klarna = klarna(store, klarnaApi, shop)) {
            CallbackRouter router = router(store, klarna);
            store.start();
            assertThat(store.runDue()).isEqualTo(1);

            assertThat(shop.confirmed).containsExactly(KLARNA_ORDER + " by CALLBACK");
            assertThat(klarnaApi.acknowledged()).containsExactly(KLARNA_ORDER);
            assertThat(router.dispatch(requests.push(KLARNA_ORDER).receivedAt(clock.instant()).build()).status())
                    .isEqualTo(200);
            assertThat(store.journal().find(JournalQuery.builder().kind(KlarnaCallbacks.PUSH).build()))
                    .extracting(entry -> entry.outcome())
                    .containsExactly(CallbackOutcome.DUPLICATE, CallbackOutcome.ACCEPTED);
            assertThat(store.journal().find(JournalQuery.builder().kind(KlarnaCallbacks.PUSH_COMPLETED).build()))
                    .hasSize(1);
            assertThat(store.runDue()).isZero();
        }
        try (JdbcCallbackStore store = store(); KlarnaCallbacks klarna = klarna(store, klarnaApi, shop)) {
            store.start();
            // the acknowledgement outlives the restart: the browser's confirmation is a no-op
            assertThat(klarna.isAcknowledged(KLARNA_ORDER)).isTrue();
            assertThat(klarna.confirmOrder(KLARNA_ORDER).outcome()).isEqualTo(Settlement.Outcome.ALREADY_SETTLED);
        }
        assertThat(shop.confirmed).hasSize(1);
    }

    @Test
    void anAvardaNotificationAnsweredBeforeARestartIsPaidOnceAfterTheDelay() {
        FakeAvardaApi avardaApi = new FakeAvardaApi().clock(clock);
        avardaApi.putPayment(AvardaPaymentBuilder.payment(PURCHASE).totalPrice("249.00").build());
        List<String> paid = new CopyOnWriteArrayList<>();
        AvardaCallbackRequests requests = new AvardaCallbackRequests();

        try (JdbcCallbackStore store = store()) {
            AvardaCallbacks avarda = avarda(store, avardaApi, paid);
            CallbackRouter router = CallbackRouter.builder().endpoints(avarda.endpoints()).journal(store.journal())
                    .clock(clock).build();
            store.start();
            assertThat(router.dispatch(requests.receivedAt(clock.instant()).completed(PURCHASE)).status())
                    .isEqualTo(200);
            clock.advance(Duration.ofSeconds(60));
            assertThat(store.runDue()).isZero(); // not due before +120 s
        }

        try (JdbcCallbackStore store = store()) {
            avarda(store, avardaApi, paid);
            store.start();
            clock.advance(Duration.ofSeconds(59));
            assertThat(store.runDue()).isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.runDue()).isEqualTo(1);
        }
        assertThat(paid).containsExactly("4001 PAID");
    }

    @Test
    void aBlockonomicsPaymentCountedBeforeARestartIsADuplicateWhenResentAfterIt() {
        List<PaymentEvent> events = new CopyOnWriteArrayList<>();
        BlockonomicsCallbackRequests requests = new BlockonomicsCallbackRequests(BLOCKONOMICS_SECRET);

        try (JdbcCallbackStore store = store()) {
            CallbackRouter router = blockonomics(store, events);
            assertThat(router.dispatch(requests.unconfirmed(BITCOIN_ADDRESS, 60_000, "tx1")).status()).isEqualTo(200);
            assertThat(router.dispatch(requests.confirmed(BITCOIN_ADDRESS, 60_000, "tx1")).status()).isEqualTo(200);
        }

        try (JdbcCallbackStore store = store()) {
            CallbackRouter router = blockonomics(store, events);
            // Blockonomics re-sends the confirmation of tx1 (it did not see the 200), then tx2 pays the rest
            assertThat(router.dispatch(requests.confirmed(BITCOIN_ADDRESS, 60_000, "tx1")).status()).isEqualTo(200);
            assertThat(router.dispatch(requests.confirmed(BITCOIN_ADDRESS, 40_000, "tx2")).status()).isEqualTo(200);

            assertThat(store.journal().find(JournalQuery.builder().provider(BlockonomicsCallbacks.PROVIDER).build()))
                    .extracting(JournalEntry::outcome)
                    .containsExactly(CallbackOutcome.ACCEPTED, CallbackOutcome.DUPLICATE, CallbackOutcome.ACCEPTED,
                            CallbackOutcome.ACCEPTED);
            assertThat(PaymentLedger.in(store.stateStore()).find("2001").orElseThrow().state()).isEqualTo(PaymentState.PAID);
        }
        assertThat(events).extracting(PaymentEvent::kind)
                .containsExactly(PaymentEvent.Kind.DETECTED, PaymentEvent.Kind.UNDERPAID, PaymentEvent.Kind.PAID);
        assertThat(events.get(2).paidAmount()).as("tx1 counted once, before the restart").isEqualTo(100_000);
    }

    @Test
    void anEcsterOrderPaidBeforeARestartIsNotPaidAgainWhenNotifiedAfterIt() {
        FakeEcsterApi ecsterApi = new FakeEcsterApi();
        ecsterApi.putOrder(EcsterOrderBuilder.order(ECSTER_ORDER).status("READY").line("mug-1", "Mug", 1, 9_900).build());
        List<String> paid = new CopyOnWriteArrayList<>();
        EcsterCallbackRequests requests = new EcsterCallbackRequests();

        try (JdbcCallbackStore store = store()) {
            CallbackRouter router = ecster(store, ecsterApi, paid);
            store.start();
            assertThat(router.dispatch(requests.receivedAt(clock.instant()).notification(ECSTER_ORDER, "READY"))
                    .status()).isEqualTo(200);
            // the shop stops before the notification's delayed action ran
        }
        try (JdbcCallbackStore store = store()) {
            ecster(store, ecsterApi, paid);
            store.start();
            clock.advance(EcsterCallbacks.DEFAULT_PROCESSING_DELAY);
            assertThat(store.runDue()).isEqualTo(1);
        }
        assertThat(paid).containsExactly("3001 PAID");

        try (JdbcCallbackStore store = store()) {
            CallbackRouter router = ecster(store, ecsterApi, paid);
            store.start();
            // Ecster notifies again; the shop's own order state did not survive, the paid mark did
            assertThat(router.dispatch(requests.receivedAt(clock.instant()).notification(ECSTER_ORDER, "READY"))
                    .status()).isEqualTo(200);
            clock.advance(EcsterCallbacks.DEFAULT_PROCESSING_DELAY);
            assertThat(store.runDue()).isEqualTo(1);
        }
        assertThat(paid).containsExactly("3001 PAID");
        assertThat(ecsterApi.calls()).as("read again after the restart, for a partial delivery; not paid again")
                .hasSize(2);
        assertThat(ecsterApi.referenceUpdates()).as("the shop's reference set once, before the restart").hasSize(1);
    }

    private CallbackRouter blockonomics(JdbcCallbackStore store, List<PaymentEvent> events) {
        BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder().secret(BLOCKONOMICS_SECRET)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return callback.address().equals(BITCOIN_ADDRESS)
                                ? Optional.of(new ExpectedPayment("2001", Crypto.BTC, 100_000))
                                : Optional.empty();
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        events.add(event);
                    }
                })
                .stateStore(store.stateStore())
                .build();
        return CallbackRouter.builder().endpoints(blockonomics.endpoints()).journal(store.journal()).clock(clock).build();
    }

    /** Ecster on the store, for a shop whose own order state is lost on restart (as the demo's): it never says paid. */
    private CallbackRouter ecster(JdbcCallbackStore store, FakeEcsterApi api, List<String> paid) {
        EcsterCallbacks ecster = EcsterCallbacks.builder().api(api)
                .shop(new EcsterShop() {
                    @Override
                    public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
                        return Optional.of(new EcsterShopOrder("3001", 9_900, "SEK", false));
                    }

                    @Override
                    public void onStateChange(EcsterStateChange change) {
                        paid.add(change.shopOrder().reference() + " " + change.state());
                    }
                })
                .scheduler(store.scheduler()).stateStore(store.stateStore()).clock(clock).build();
        return CallbackRouter.builder().endpoints(ecster.endpoints()).journal(store.journal()).clock(clock).build();
    }

    private KlarnaCallbacks klarna(JdbcCallbackStore store, FakeKlarnaOrderManagement api, Shop shop) {
        return KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND).api(api).shop(shop)
                .scheduler(store.scheduler()).journal(store.journal()).stateStore(store.stateStore())
                .clock(clock).build();
    }

    private CallbackRouter router(JdbcCallbackStore store, KlarnaCallbacks klarna) {
        return CallbackRouter.builder().endpoints(klarna.endpoints()).journal(store.journal()).clock(clock).build();
    }

    private AvardaCallbacks avarda(JdbcCallbackStore store, FakeAvardaApi api, List<String> paid) {
        return AvardaCallbacks.builder().api(api)
                .shop(new AvardaShop() {
                    @Override
                    public Optional<AvardaShopOrder> findOrder(String purchaseId) {
                        return Optional.of(new AvardaShopOrder("4001", new BigDecimal("249.00"), "SEK", !paid.isEmpty()));
                    }

                    @Override
                    public void onStateChange(AvardaStateChange change) {
                        paid.add(change.shopOrder().reference() + " " + change.kind());
                    }
                })
                .scheduler(store.scheduler()).stateStore(store.stateStore()).clock(clock).build();
    }

    /** A Klarna shop that remembers its orders as a real one would, across the module's restarts. */
    private static final class Shop implements KlarnaShop {
        final List<String> confirmed = new CopyOnWriteArrayList<>();

        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            KlarnaShopOrder order = KlarnaShopOrder.of("5001", "SEK", 24900);
            return Optional.of(confirmed.isEmpty() ? order : order.asConfirmed());
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
            confirmed.add(order.orderId() + " by " + source);
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
            throw new AssertionError("no mismatch expected: " + differences);
        }
    }
}
