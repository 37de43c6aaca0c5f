package org.callbackkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * The shop the HTTP benchmarks call: Klarna's push and Blockonomics' payment callback wired the
 * way a host wires them, on whatever journal, scheduler and idempotency store it is given, behind
 * the real {@link CallbackServlet}. Klarna is played by {@link FakeKlarnaOrderManagement} (only
 * called when push work runs). Every request it builds is new: a push for a new order id, a
 * confirmed payment to a new address with a new txid, each for an order the shop expects, so
 * each is accepted and scheduled or counted, never answered as a duplicate.
 */
final class BenchShop implements AutoCloseable {

    /** What each benchmark payment is, in satoshi. */
    static final long AMOUNT = 100_000;
    /** Blockonomics' callback secret, which the requests carry. */
    static final String SECRET = "bench-secret-0123456789abcdef";

    private final FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
    private final KlarnaCallbacks klarna;
    private final BlockonomicsCallbacks blockonomics;
    private final CallbackRouter router;
    private final KlarnaCallbackRequests klarnaRequests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
    private final BlockonomicsCallbackRequests blockonomicsRequests = new BlockonomicsCallbackRequests(SECRET);
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong payments = new AtomicLong();
    private final KlarnaShop klarnaShop = new NoOrders();
    private final BlockonomicsShop blockonomicsShop = new BlockonomicsShop() {
        @Override
        public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
            return Optional.of(new ExpectedPayment("order-" + callback.address(), Crypto.BTC, AMOUNT));
        }

        @Override
        public void onPayment(PaymentEvent event) {
            payments.incrementAndGet();
        }
    };

    BenchShop(CallbackJournal journal, DelayedActionScheduler scheduler, StateStore store) {
        klarna = KlarnaCallbacks.builder()
                .environment(KlarnaEnvironment.PLAYGROUND)
                .api(klarnaApi)
                .shop(klarnaShop)
                .scheduler(scheduler)
                .stateStore(store)
                .journal(journal)
                .build();
        blockonomics = BlockonomicsCallbacks.builder()
                .secret(SECRET)
                .shop(blockonomicsShop)
                .build();
        List<CallbackEndpoint> endpoints = new ArrayList<>(klarna.endpoints());
        endpoints.addAll(blockonomics.endpoints());
        router = CallbackRouter.builder().endpoints(endpoints).journal(journal).build();
    }

    /** The router the servlet dispatches to. */
    CallbackRouter router() {
        return router;
    }

    /** The real servlet over this shop's router. */
    CallbackServlet servlet() {
        return new CallbackServlet(router);
    }

    /** The Klarna listener: it knows no order, so push work, if it ran, would retry later. */
    KlarnaShop klarnaShop() {
        return klarnaShop;
    }

    /** The Blockonomics listener: every payment is for an order it expects, and is counted. */
    BlockonomicsShop blockonomicsShop() {
        return blockonomicsShop;
    }

    /** A Klarna push for a new order. */
    CallbackRequest klarnaPushRequest() {
        return klarnaRequests.push("bench-" + ids.incrementAndGet()).build();
    }

    /** A confirmed Blockonomics payment to a new address. */
    CallbackRequest blockonomicsPaymentRequest() {
        long id = ids.incrementAndGet();
        return blockonomicsRequests.confirmed("bc1qbench" + id, AMOUNT, "tx" + id);
    }

    /** The HTTP bytes of a Klarna push for a new order. */
    byte[] klarnaPush() {
        return Servers.http(klarnaPushRequest());
    }

    /** The HTTP bytes of a confirmed Blockonomics payment to a new address. */
    byte[] blockonomicsPayment() {
        return Servers.http(blockonomicsPaymentRequest());
    }

    /** How many payments the Blockonomics listener was told of. */
    long paymentsCounted() {
        return payments.get();
    }

    @Override
    public void close() {
        klarna.close();
        klarnaApi.close();
    }

    /** A shop that knows no order: push work, if it ran, would retry later. */
    private static final class NoOrders implements KlarnaShop {
        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            return Optional.empty();
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
        }
    }
}
