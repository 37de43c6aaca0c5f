package org.callbackkit.ecster;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.test.DispatchInvariants;
import org.callbackkit.test.FuzzedRequests;
import org.callbackkit.test.WatchedScheduler;

/**
 * Fuzzes Ecster's order event notification end to end: the module built through its builder on
 * {@link FakeEcsterApi} and a {@link ManualDelayedActionScheduler}, mounted on a real
 * {@link CallbackRouter}, fed one to three requests whose method, path, shared header (right,
 * missing, fuzzed, twice, other case), content type, {@code temporaryReference} and body come
 * from the fuzzer ({@link FuzzedRequests}); then the clock moves and the delayed actions run
 * against an Ecster answer the fuzzer also chose (a real order, fuzzed order JSON, an HTTP
 * failure before the order, no order) and a shop that has the order by Ecster id, by temporary
 * reference, or not at all.
 *
 * <p>Invariants, on every input: {@link DispatchInvariants} for every dispatch (never throws,
 * never 5xx, one journal entry with the status and the shared header masked, a rejection has a
 * short JSON {@code error} body, calls no listener and schedules nothing); no action run throws
 * ({@link WatchedScheduler}); an order is reported paid at most once.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs in {@code EcsterFuzzTestInputs/notification}
 * (seeds and past findings, in {@link FuzzedRequests}'s layout) as plain tests.
 */
class EcsterFuzzTest {

    private static final String ORDER = "eYBtAD0wTZIzDWkVpGhe";
    private static final String CART = "cart-42";
    private static final String HEADER = "X-Shop-Notification";
    private static final String VALUE = "c2VjcmV0LXNoYXJlZC13aXRoLWVjc3Rlcg";
    private static final String[] STATUSES = {"READY", "FULLY_DELIVERED", "PENDING_SIGNATURE", "DENIED", "FAILED",
        "PARTIALLY_DELIVERED", "BLOCKED"};

    @FuzzTest
    @DictionaryEntries({"\"orderId\"", "\"orderReference\"", "\"status\"", "\"event\"", "\"time\"", "READY",
        "FULL_DEBIT", "\"id\"", "\"amount\"", "\"currency\"", "\"transactions\"", "\"rows\"", "\"ORIGINAL\"",
        "\"quantity\"", "\"unitAmount\"", "1e999999999"})
    void notification(FuzzedDataProvider data) {
        FuzzedRequests fuzz = new FuzzedRequests(data);
        MutableClock clock = MutableClock.atFixedStart();
        ManualDelayedActionScheduler manual = new ManualDelayedActionScheduler(clock);
        WatchedScheduler scheduler = new WatchedScheduler(manual);
        FakeEcsterApi ecster = new FakeEcsterApi();
        TestShop shop = new TestShop();
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        EcsterCallbacks callbacks = EcsterCallbacks.builder().api(ecster).shop(shop)
                .scheduler(scheduler).clock(clock).sharedHeader(HEADER, VALUE).build();
        CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
                .endpoints(callbacks.endpoints()).build();
        DispatchInvariants invariants = DispatchInvariants.builder(router, journal)
                .untouchedWhenRejected("listener calls", () -> shop.changes.size())
                .untouchedWhenRejected("pending actions", scheduler::pending)
                .masked(HEADER)
                .build();

        switch (data.consumeInt(0, 2)) {
            case 0 -> shop.link(ORDER, "1001");
            case 1 -> shop.byTemporaryReference.put(CART, "1001");
            default -> { } // the shop has no order (yet)
        }
        switch (data.consumeInt(0, 3)) {
            case 0 -> ecster.putOrder(order(data.pickValue(STATUSES)));
            case 1 -> {
                try {
                    ecster.putOrder(EcsterOrder.parse(fuzz.text(FuzzedRequests.MAX_BODY_BYTES)));
                } catch (IllegalArgumentException e) {
                    // how EcsterOrder.parse refuses what is not an order; Ecster then has none
                }
            }
            case 2 -> ecster.putOrder(order("READY")).failNext(fuzz.apiFailure());
            default -> { } // Ecster answers 404
        }
        int requests = data.consumeInt(1, 3);
        for (int i = 0; i < requests; i++) {
            invariants.dispatch(notification(fuzz, clock));
        }
        fuzz.runDelayedWork(manual);

        scheduler.assertNoHandlerThrew();
        long paid = shop.changes.stream().filter(change -> change.state() == EcsterOrderState.PAID).count();
        if (paid > 1) {
            throw new AssertionError("order reported paid " + paid + " times: " + shop.changes);
        }
    }

    private static EcsterOrder order(String status) {
        return EcsterOrderBuilder.order(ORDER).status(status).line("sku-1", "Mug", 2, 9900).build();
    }

    private static CallbackRequest notification(FuzzedRequests fuzz, MutableClock clock) {
        CallbackRequest.Builder request = fuzz.request("POST", fuzz.path(EcsterCallbacks.DEFAULT_PATH), clock);
        fuzz.sharedHeader(request, HEADER, VALUE);
        fuzz.contentType(request, "application/json");
        String parameter = EcsterCallbacks.TEMPORARY_REFERENCE_PARAMETER;
        switch (fuzz.data().consumeInt(0, 3)) {
            case 0 -> { } // a notification URL without a temporary reference
            case 1 -> request.addQueryParameter(parameter, CART);
            case 2 -> request.addQueryParameter(parameter, fuzz.text(160));
            default -> request.addQueryParameter(parameter, CART).addQueryParameter(parameter, CART);
        }
        return request.body(fuzz.body()).build();
    }
}
