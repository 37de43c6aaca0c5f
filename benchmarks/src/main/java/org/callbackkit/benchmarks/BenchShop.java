package org.callbackkit.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.FakeAvardaApi;
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
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * The shop the HTTP benchmarks call: every provider's main callback (Klarna's push, Blockonomics'
 * payment callback, Ecster's order notification, Avarda's completed-purchase notification) wired
 * the way a host wires them, with each provider's authentication on (Blockonomics' secret, Ecster's
 * shared header, Avarda's {@code Authorization}), on whatever journal, scheduler and idempotency
 * store it is given, behind the real {@link CallbackServlet}. The providers' APIs are the
 * in-memory fakes, only called when delayed work runs. Every request it builds is new: a push or
 * notification for a new order id, a confirmed payment to a new address with a new txid, each
 * for an order the shop expects, so each is accepted and scheduled or counted, never answered as a
 * duplicate.
 */
final class BenchShop implements AutoCloseable {

    /** What each benchmark payment is, in satoshi. */
    static final long AMOUNT = 100_000;
    /** Blockonomics' callback secret, which the requests carry. */
    static final String SECRET = "bench-secret-0123456789abcdef";
    private static final String ECSTER_HEADER = "X-Shop-Notification";
    private static final String ECSTER_HEADER_VALUE = "bench-ecster-0123456789abcdef";
    private static final String AVARDA_AUTHORIZATION = "Basic YmVuY2g6YmVuY2gtYXZhcmRhLTAxMjM0NTY3ODk=";

    private final FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
    private final KlarnaCallbacks klarna;
    private final BlockonomicsCallbacks blockonomics;
    private final EcsterCallbacks ecster;
    private final AvardaCallbacks avarda;
    private final CallbackRouter router;
    private final KlarnaCallbackRequests klarnaRequests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
    private final BlockonomicsCallbackRequests blockonomicsRequests = new BlockonomicsCallbackRequests(SECRET);
    private final EcsterCallbackRequests ecsterRequests = new EcsterCallbackRequests()
            .sharedHeader(ECSTER_HEADER, ECSTER_HEADER_VALUE);
    private final AvardaCallbackRequests avardaRequests = new AvardaCallbackRequests().authorization(AVARDA_AUTHORIZATION);
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
        ecster = EcsterCallbacks.builder()
                .api(new FakeEcsterApi())
                .sharedHeader(ECSTER_HEADER, ECSTER_HEADER_VALUE)
                .shop(new EcsterShop() {
                    @Override
                    public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
                        return Optional.of(new EcsterShopOrder("order-" + ecsterOrderId, 24_900, "SEK", false));
                    }

                    @Override
                    public void onStateChange(EcsterStateChange change) {
                    }
                })
                .scheduler(scheduler)
                .stateStore(store)
                .journal(journal)
                .build();
        avarda = AvardaCallbacks.builder()
                .api(new FakeAvardaApi())
                .authorization(AVARDA_AUTHORIZATION)
                .shop(new AvardaShop() {
                    @Override
                    public Optional<AvardaShopOrder> findOrder(String purchaseId) {
                        // asked while acknowledging: Avarda's notification is answered 404 for an
                        // order the shop does not know
                        return Optional.of(new AvardaShopOrder("order-" + purchaseId, new BigDecimal("249.00"), "SEK", false));
                    }

                    @Override
                    public void onStateChange(AvardaStateChange change) {
                    }
                })
                .scheduler(scheduler)
                .stateStore(store)
                .journal(journal)
                .build();
        List<CallbackEndpoint> endpoints = new ArrayList<>(klarna.endpoints());
        endpoints.addAll(blockonomics.endpoints());
        endpoints.addAll(ecster.endpoints());
        endpoints.addAll(avarda.endpoints());
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

    /** An Ecster notification, status READY, for a new order. */
    CallbackRequest ecsterNotificationRequest() {
        return ecsterRequests.notification("bench-" + ids.incrementAndGet(), "READY");
    }

    /** An Avarda completed-purchase notification for a new purchase. */
    CallbackRequest avardaNotificationRequest() {
        return avardaRequests.completed("bench" + ids.incrementAndGet());
    }

    /** The HTTP bytes of a Klarna push for a new order. */
    byte[] klarnaPush() {
        return Servers.http(klarnaPushRequest());
    }

    /** The HTTP bytes of a confirmed Blockonomics payment to a new address. */
    byte[] blockonomicsPayment() {
        return Servers.http(blockonomicsPaymentRequest());
    }

    /** The HTTP bytes of an Ecster notification for a new order. */
    byte[] ecsterNotification() {
        return Servers.http(ecsterNotificationRequest());
    }

    /** The HTTP bytes of an Avarda notification for a new purchase. */
    byte[] avardaNotification() {
        return Servers.http(avardaNotificationRequest());
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
