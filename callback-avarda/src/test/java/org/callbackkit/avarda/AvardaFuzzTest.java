package org.callbackkit.avarda;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.callbackkit.avarda.AvardaStateChange.Kind;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.DispatchInvariants;
import org.callbackkit.test.FuzzedRequests;
import org.callbackkit.test.WatchedScheduler;

/**
 * Fuzzes Avarda's completed-purchase notification end to end: the module built through its
 * builder on {@link FakeAvardaApi} and a {@link ManualDelayedActionScheduler}, mounted on a real
 * {@link CallbackRouter}, fed one to three requests whose method, path, {@code Authorization}
 * header (right, missing, fuzzed, twice, other case), content type and body come from the fuzzer
 * ({@link FuzzedRequests}); then the clock moves and the delayed actions run against an Avarda
 * answer the fuzzer also chose (a payment in some step and total, fuzzed payment JSON, an HTTP
 * failure before the payment, none) and a shop whose order is open, already paid, or missing.
 *
 * <p>Invariants, on every input: {@link DispatchInvariants} for every dispatch (never throws,
 * never 5xx, one journal entry with the status and {@code Authorization} masked, a rejection has
 * a short JSON {@code error} body, calls no listener and schedules nothing); no action run throws
 * ({@link WatchedScheduler}); a purchase is reported paid at most once, and only when Avarda's
 * total is within 0.01 of the shop's, in the shop's currency.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs in {@code AvardaFuzzTestInputs/completed}
 * (seeds and past findings, in {@link FuzzedRequests}'s layout) as plain tests.
 */
class AvardaFuzzTest {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";
    private static final String AUTHORIZATION = "Basic c2hvcDpsb25nLXJhbmRvbS1zZWNyZXQtYWdyZWVkLXdpdGgtYXZhcmRh";
    private static final String TOTAL = "100.00";
    private static final String[] STEPS = {"Completed", "WaitingForSwish", "TimedOut", "Outdated", "SomethingNew"};
    private static final String[] TOTALS = {TOTAL, "100.01", "99.98", "1E+2", "-100.00"};

    @FuzzTest
    @DictionaryEntries({"\"purchaseId\"", PURCHASE, "\"totalPrice\"", "\"mode\"", "\"B2B\"", "\"b2C\"", "\"b2B\"",
        "\"step\"", "\"current\"", "\"Completed\"", "\"checkoutSite\"", "\"currencyCode\"", "1e999999999"})
    void completed(FuzzedDataProvider data) {
        FuzzedRequests fuzz = new FuzzedRequests(data);
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        WatchedScheduler scheduler = new WatchedScheduler(manual);
        FakeAvardaApi avarda = new FakeAvardaApi();
        TestShop shop = new TestShop();
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        AvardaCallbacks callbacks = AvardaCallbacks.builder().api(avarda).shop(shop)
                .scheduler(scheduler).clock(clock).authorization(AUTHORIZATION).build();
        CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
                .endpoints(callbacks.endpoints()).build();
        DispatchInvariants invariants = DispatchInvariants.builder(router, journal)
                .untouchedWhenRejected("listener calls", () -> shop.changes.size())
                .untouchedWhenRejected("pending actions", scheduler::pending)
                .masked("Authorization")
                .build();

        switch (data.consumeInt(0, 2)) {
            case 0 -> shop.add(PURCHASE, "1001", TOTAL);
            case 1 -> {
                shop.add(PURCHASE, "1001", TOTAL);
                shop.paid.add("1001");
            }
            default -> { } // the shop has no order for the purchase
        }
        switch (data.consumeInt(0, 3)) {
            case 0 -> avarda.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step(data.pickValue(STEPS))
                    .totalPrice(data.pickValue(TOTALS)).build());
            case 1 -> {
                try {
                    avarda.putPayment(AvardaPayment.parse(fuzz.text(FuzzedRequests.MAX_BODY_BYTES)));
                } catch (IllegalArgumentException e) {
                    // how AvardaPayment.parse refuses what is not a payment; Avarda then has none
                }
            }
            case 2 -> avarda.putPayment(AvardaPaymentBuilder.payment(PURCHASE).build()).failNext(fuzz.apiFailure());
            default -> { } // Avarda answers 404
        }
        int requests = data.consumeInt(1, 3);
        for (int i = 0; i < requests; i++) {
            CallbackRequest.Builder request = fuzz.request("POST", fuzz.path(AvardaCallbacks.DEFAULT_PATH), clock);
            fuzz.sharedHeader(request, "Authorization", AUTHORIZATION);
            fuzz.contentType(request, "application/json");
            invariants.dispatch(request.body(fuzz.body()).build());
        }
        fuzz.runDelayedWork(manual);

        scheduler.assertNoHandlerThrew();
        for (Kind kind : Kind.values()) {
            if (shop.kinds().stream().filter(kind::equals).count() > 1) {
                throw new AssertionError("purchase reported " + kind + " more than once: " + shop.kinds());
            }
        }
        shop.changes.stream().filter(change -> change.kind() == Kind.PAID).forEach(AvardaFuzzTest::requireMatchingTotal);
    }

    private static void requireMatchingTotal(AvardaStateChange paid) {
        AvardaPayment payment = paid.payment();
        AvardaShopOrder order = paid.shopOrder();
        boolean currency = payment.currency().isEmpty() || payment.currency().equalsIgnoreCase(order.currency());
        boolean total = payment.totalPrice().subtract(order.total()).abs()
                .compareTo(AvardaCallbacks.DEFAULT_AMOUNT_TOLERANCE) <= 0;
        if (!currency || !total) {
            throw new AssertionError("reported paid although Avarda has " + payment + " and the shop " + order);
        }
    }
}
