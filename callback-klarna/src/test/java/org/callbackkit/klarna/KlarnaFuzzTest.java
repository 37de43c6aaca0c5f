package org.callbackkit.klarna;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.callbackkit.test.DispatchInvariants;
import org.callbackkit.test.FuzzedRequests;
import org.callbackkit.test.WatchedScheduler;

/**
 * Fuzzes every Klarna callback end to end: push, validation, notification, shipping option update,
 * address update and country change. The module is built through its builder on
 * {@link FakeKlarnaOrderManagement}, a {@link ManualDelayedActionScheduler} and a host whose
 * validator and checkout updates approve, update, redirect or reject as the fuzzer chose, mounted
 * on a real {@link CallbackRouter}, and fed one to four requests whose kind, order id segment,
 * path, method, content type and body come from the fuzzer ({@link FuzzedRequests}); then the
 * clock moves and the push and notification work runs against an Order Management answer the
 * fuzzer also chose (an order in some state, fraud status and amount, fuzzed order JSON, a failed
 * call, none) and a shop that has the order or not.
 *
 * <p>Invariants, on every input: {@link DispatchInvariants} for every dispatch (never throws,
 * never 5xx, one journal entry with the status, a rejection has a short JSON {@code error} body,
 * calls neither the shop nor the validator and schedules nothing); a rejection the host chose is
 * Klarna's 400 with {@code error_type} and {@code error_text}; no action run throws
 * ({@link WatchedScheduler}); the shop confirms an order at most once, and only when Klarna's
 * currency is the shop's, its total within one minor unit of the shop's and the lines'
 * quantities agree, counted exactly.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs in {@code KlarnaFuzzTestInputs/callbacks}
 * (seeds and past findings, in {@link FuzzedRequests}'s layout) as plain tests.
 */
class KlarnaFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";
    private static final KlarnaShopOrder SHOP_ORDER = KlarnaShopOrder.of("1001", "SEK", 10000)
            .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 2)));
    private static final String[] KINDS = {KlarnaCallbacks.PUSH, KlarnaCallbacks.VALIDATION, KlarnaCallbacks.NOTIFICATION,
        KlarnaCallbacks.SHIPPING_OPTION_UPDATE, KlarnaCallbacks.ADDRESS_UPDATE, KlarnaCallbacks.COUNTRY_CHANGE};
    private static final String[] STATES = {"AUTHORIZED", "CANCELLED", "CLOSED", "PART_CAPTURED"};
    private static final String[] FRAUD_STATUSES = {"ACCEPTED", "PENDING", "REJECTED", "UNDER_REVIEW"};
    private static final long[] AMOUNTS = {10000, 10001, 9998, 0, -1, Long.MAX_VALUE, Long.MIN_VALUE};

    @FuzzTest
    @DictionaryEntries({"\"order_id\"", ORDER, "\"event_type\"", "FRAUD_RISK_ACCEPTED", "FRAUD_RISK_STOPPED",
        "\"purchase_currency\"", "\"order_amount\"", "\"order_tax_amount\"", "\"order_lines\"", "\"quantity\"",
        "\"total_amount\"", "\"reference\"", "\"selected_shipping_option\"", "\"fraud_status\"", "\"status\"",
        "\"merchant_reference1\"", "9223372036854775807", "-9223372036854775808"})
    void callbacks(FuzzedDataProvider data) {
        FuzzedRequests fuzz = new FuzzedRequests(data);
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        WatchedScheduler scheduler = new WatchedScheduler(manual);
        FakeKlarnaOrderManagement api = new FakeKlarnaOrderManagement();
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        FuzzShop shop = new FuzzShop();
        Host host = new Host(data.consumeInt(0, 3));
        try (KlarnaCallbacks klarna = KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND).api(api)
                .shop(shop).validator(host, KlarnaCheckoutAnswer.approve()).checkoutUpdates(host).scheduler(scheduler).journal(journal).clock(clock)
                .deadline(Duration.ofSeconds(10)).build()) {
            CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
                    .endpoints(klarna.endpoints()).build();
            DispatchInvariants invariants = DispatchInvariants.builder(router, journal)
                    .untouchedWhenRejected("shop and validator calls", () -> shop.calls.get() + host.calls.get())
                    .untouchedWhenRejected("pending actions", scheduler::pending)
                    .hostRejected(host.rejected::get)
                    .build();

            if (!data.consumeBoolean()) {
                shop.orders.put(ORDER, SHOP_ORDER);
            }
            switch (data.consumeInt(0, 3)) {
                case 0 -> api.putOrder(KlarnaOrderBuilder.order(ORDER).status(data.pickValue(STATES))
                        .fraudStatus(data.pickValue(FRAUD_STATUSES)).line("sku-1", 2, 5000)
                        .amount(data.pickValue(AMOUNTS)).build());
                case 1 -> {
                    try {
                        api.putOrder(KlarnaOrder.parse(fuzz.text(FuzzedRequests.MAX_BODY_BYTES)));
                    } catch (IllegalArgumentException e) {
                        // how KlarnaOrder.parse refuses what is not an order; Klarna then has none
                    }
                }
                case 2 -> api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 2, 5000).build())
                        .failNext(data.pickValue(FakeKlarnaOrderManagement.Call.values()), fuzz.apiFailure(),
                                "FUZZED");
                default -> { } // Order Management answers 404
            }
            int requests = data.consumeInt(1, 4);
            for (int i = 0; i < requests; i++) {
                String kind = data.pickValue(KINDS);
                String orderId = data.consumeBoolean() ? fuzz.text(80) : ORDER;
                CallbackRequest.Builder request = fuzz.request("POST", fuzz.path("/klarna/" + kind + "/" + orderId), clock);
                fuzz.contentType(request, "application/json");
                host.rejected.set(false);
                CallbackResponse response = invariants.dispatch(request.body(fuzz.body()).build());
                if (host.rejected.get()) {
                    requireKlarnaRejection(response);
                }
            }
            fuzz.runDelayedWork(manual);

            scheduler.assertNoHandlerThrew();
            shop.assertConfirmedRightly();
        }
    }

    private static void requireKlarnaRejection(CallbackResponse response) {
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("the host's rejection is not JSON: " + response.bodyAsString(), e);
        }
        if (response.status() != 400 || !"address_error".equals(body.path("error_type").asText())
                || body.path("error_text").asText().isBlank()) {
            throw new AssertionError("the host's rejection is not Klarna's 400: " + response.status() + " "
                    + response.bodyAsString());
        }
    }

    /** The validator and checkout updates: all answer as the fuzzer chose, and count their calls. */
    private static final class Host implements KlarnaValidator, KlarnaCheckoutUpdates {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean rejected = new AtomicBoolean();
        private final int answer;

        Host(int answer) {
            this.answer = answer;
        }

        @Override
        public KlarnaCheckoutAnswer validate(KlarnaOrder order) {
            return answer(order);
        }

        @Override
        public KlarnaCheckoutAnswer shippingOptionUpdate(KlarnaOrder order, JsonNode selectedShippingOption) {
            return answer(order);
        }

        @Override
        public KlarnaCheckoutAnswer addressUpdate(KlarnaOrder order) {
            return answer(order);
        }

        @Override
        public KlarnaCheckoutAnswer countryChange(KlarnaOrder order) {
            return answer(order);
        }

        private KlarnaCheckoutAnswer answer(KlarnaOrder order) {
            calls.incrementAndGet();
            return switch (answer) {
                case 0 -> KlarnaCheckoutAnswer.approve();
                case 1 -> KlarnaCheckoutAnswer.update(order.jsonTree().put("merchant_data", "recomputed"));
                case 2 -> KlarnaCheckoutAnswer.redirect(URI.create("https://shop.example/cart"));
                default -> {
                    rejected.set(true);
                    yield KlarnaCheckoutAnswer.reject(KlarnaErrorType.ADDRESS_ERROR, "We do not deliver there");
                }
            };
        }
    }

    /** A shop that checks every confirmation against its own order, counting exactly. */
    private static final class FuzzShop implements KlarnaShop {
        final Map<String, KlarnaShopOrder> orders = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        private final List<String> confirmed = new CopyOnWriteArrayList<>();
        private final List<String> wrong = new CopyOnWriteArrayList<>();

        @Override
        public Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
            return Optional.ofNullable(orders.get(klarnaOrderId));
        }

        @Override
        public void confirm(KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
            calls.incrementAndGet();
            confirmed.add(order.toString());
            BigInteger difference = BigInteger.valueOf(order.orderAmount()).subtract(BigInteger.valueOf(shopOrder.totalAmount()));
            Map<String, BigInteger> quantities = new TreeMap<>();
            order.orderLines().forEach(line -> quantities.merge(line.reference(), BigInteger.valueOf(line.quantity()),
                    BigInteger::add));
            boolean linesAgree = shopOrder.lines().stream().allMatch(line ->
                    BigInteger.valueOf(line.quantity()).equals(quantities.getOrDefault(line.reference(), BigInteger.ZERO)));
            if (difference.abs().compareTo(BigInteger.ONE) > 0 || !linesAgree
                    || !order.purchaseCurrency().equalsIgnoreCase(shopOrder.currency())) {
                wrong.add(order + " " + order.orderLines() + " confirmed as " + shopOrder);
            }
            orders.put(order.orderId(), shopOrder.asConfirmed());
        }

        @Override
        public void mismatch(KlarnaOrder order, KlarnaShopOrder shopOrder, List<String> differences) {
            calls.incrementAndGet();
        }

        @Override
        public void completedByPush(KlarnaOrder order, KlarnaShopOrder shopOrder) {
            calls.incrementAndGet();
        }

        @Override
        public void fraudDecision(KlarnaOrder order, KlarnaShopOrder shopOrder, FraudEvent event) {
            calls.incrementAndGet();
        }

        void assertConfirmedRightly() {
            if (!wrong.isEmpty()) {
                throw new AssertionError("confirmed although Klarna's order differs from the shop's: " + wrong);
            }
            if (confirmed.size() > 1) {
                throw new AssertionError("confirmed " + confirmed.size() + " times: " + confirmed);
            }
        }
    }
}
