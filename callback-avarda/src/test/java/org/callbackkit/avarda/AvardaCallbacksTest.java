package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.callbackkit.avarda.AvardaStateChange.Kind;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Settlement.Outcome;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The completed notification, its delayed action and the browser confirmation, on a manual scheduler and clock. */
class AvardaCallbacksTest {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";
    private static final Duration DELAY = AvardaCallbacks.DEFAULT_PROCESSING_DELAY;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final FakeAvardaApi avarda = new FakeAvardaApi();
    private final TestShop shop = new TestShop().add(PURCHASE, "1001", "123.45");
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final AvardaCallbackRequests requests = new AvardaCallbackRequests();

    private AvardaCallbacks.Builder module() {
        return AvardaCallbacks.builder().api(avarda).shop(shop).scheduler(scheduler).clock(clock)
                .stateStore(store);
    }

    private final AvardaCallbacks callbacks = module().build();
    private final CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
            .endpoints(callbacks.endpoints()).build();

    private CallbackResponse notifyCompleted() {
        return router.dispatch(requests.receivedAt(clock.instant()).completed(PURCHASE));
    }

    private void putPayment(String step, String total) {
        avarda.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step(step).totalPrice(total).build());
    }

    private JournalEntry lastEntry() {
        return journal.find(JournalQuery.builder().limit(1).build()).get(0);
    }

    @Test
    void thePurchaseIsReadAt120SecondsAndNotBefore() {
        putPayment("Completed", "123.45");

        assertThat(notifyCompleted().status()).isEqualTo(200);
        assertThat(lastEntry().orderReferences()).containsExactly(PURCHASE);
        assertThat(lastEntry().detail()).isEqualTo("purchase " + PURCHASE
                + " of shop order 1001: will be read from Avarda at 2026-01-01T00:02:00Z");
        assertThat(scheduler.tick(Duration.ofSeconds(119))).isZero();
        assertThat(avarda.calls()).isEmpty();

        assertThat(scheduler.tick(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.PAID);
            assertThat(change.source()).isEqualTo(Source.CALLBACK);
            assertThat(change.payment().totalPrice()).isEqualByComparingTo("123.45");
        });
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void anUnknownShopOrderIs404SoAvardaSendsItAgain() {
        CallbackResponse response = router.dispatch(requests.completed("unknownPurchase"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"no order for this purchase\"}");
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(lastEntry().detail()).contains("unknownPurchase");
        assertThat(lastEntry().orderReferences()).containsExactly("unknownPurchase");
        assertThat(scheduler.pending()).isEmpty();
        assertThat(callbacks.endpoints().get(0).retrySchedule().description()).isEqualTo("20 attempts, 10m apart");
    }

    @Test
    void anAlreadyPaidOrderIsAnswered200WithNoWork() {
        shop.paid.add("1001");

        CallbackResponse response = notifyCompleted();

        assertThat(response.status()).isEqualTo(200);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(lastEntry().detail()).isEqualTo("shop order 1001 is already paid; nothing to do");
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void fiftyNotificationsForOnePurchaseAreOneActionAndOneStateChange() {
        putPayment("Completed", "123.45");

        for (int i = 0; i < 50; i++) {
            assertThat(notifyCompleted().status()).isEqualTo(200);
        }
        assertThat(scheduler.pending()).hasSize(1);
        scheduler.tick(DELAY);
        for (int i = 0; i < 5; i++) {
            notifyCompleted(); // after payment: answered without work
        }

        assertThat(shop.kinds()).containsExactly(Kind.PAID);
        assertThat(avarda.calls()).hasSize(1);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.DUPLICATE).limit(100).build())).hasSize(54);
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void theBrowserConfirmingFirstMakesTheActionANoOp() {
        putPayment("Completed", "123.45");
        notifyCompleted();

        clock.advance(Duration.ofSeconds(30));
        Settlement browser = callbacks.confirmOrder(PURCHASE);
        scheduler.tick(DELAY);

        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(browser.settled()).isTrue();
        assertThat(shop.changes).singleElement()
                .satisfies(change -> assertThat(change.source()).isEqualTo(Source.BROWSER));
        assertThat(avarda.calls()).as("the action did not ask Avarda").hasSize(1);
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void theNotificationFirstPaysOnceAndTheBrowserIsThenANoOp() {
        putPayment("Completed", "123.45");
        notifyCompleted();
        scheduler.tick(DELAY);

        Settlement browser = callbacks.confirmOrder(PURCHASE);

        assertThat(browser.outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        assertThat(shop.kinds()).containsExactly(Kind.PAID);
        assertThat(callbacks.orderState(PURCHASE).settled()).isTrue();
    }

    @Test
    void aTotalThatDiffersPutsTheOrderOnHoldOnceAndTheActionEndsDeadWithTheDifference() {
        putPayment("Completed", "99.00");
        notifyCompleted();

        scheduler.tick(DELAY);
        Settlement browser = callbacks.confirmOrder(PURCHASE);

        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.ON_HOLD);
            assertThat(change.reason()).isEqualTo("total 99.00 at Avarda, 123.45 in the shop");
        });
        assertThat(browser.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).isEqualTo("shop order 1001 on hold: total 99.00 at Avarda, 123.45 in the shop"));
        assertThat(shop.paid).isEmpty();
    }

    @Test
    void aCurrencyThatDiffersIsHeldAndThreeCentsOfRoundingAreNot() {
        avarda.putPayment(AvardaPaymentBuilder.payment(PURCHASE).totalPrice("123.45").currency("EUR").build());
        assertThat(callbacks.confirmOrder(PURCHASE).detail()).contains("currency EUR at Avarda, SEK in the shop");

        shop.add("p2", "1002", "10.00");
        avarda.putPayment(AvardaPaymentBuilder.payment("p2").totalPrice("10.03").build());
        assertThat(callbacks.confirmOrder("p2").outcome()).as("3 minor units, as Avarda's plugin allows")
                .isEqualTo(Outcome.SETTLED);

        shop.add("p3", "1003", "10.00");
        avarda.putPayment(AvardaPaymentBuilder.payment("p3").totalPrice("10.04").build());
        assertThat(callbacks.confirmOrder("p3").outcome()).isEqualTo(Outcome.GAVE_UP);
    }

    @Test
    void aPurchaseStillWaitingForSwishIsReadAgainUntilCompleted() {
        putPayment("WaitingForSwish", "123.45");
        notifyCompleted();

        scheduler.tick(DELAY);
        assertThat(scheduler.pending()).singleElement().satisfies(p -> assertThat(p.lastError())
                .contains("Avarda purchase " + PURCHASE + " is not completed yet (step WaitingForSwish)"));

        avarda.setStep(PURCHASE, "Completed");
        scheduler.tick(Duration.ofMinutes(1));

        assertThat(shop.kinds()).containsExactly(Kind.PAID);
    }

    @Test
    void aTimedOutPurchaseEndsDeadWithAReason() {
        putPayment("TimedOut", "123.45");
        notifyCompleted();

        scheduler.tick(DELAY);

        assertThat(scheduler.dead()).singleElement().satisfies(dead -> assertThat(dead.lastError())
                .isEqualTo("Avarda purchase " + PURCHASE + " is TimedOut: it will not complete; shop order 1001 is not paid"));
        assertThat(shop.changes).isEmpty();
        assertThat(callbacks.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.GAVE_UP);
    }

    @Test
    void anUnknownStepDoesNotCrashAndIsNeverPaid() {
        putPayment("SomethingNew", "123.45");

        Settlement browser = callbacks.confirmOrder(PURCHASE);
        notifyCompleted();
        scheduler.tick(DELAY);

        assertThat(browser.outcome()).isEqualTo(Outcome.WAITING);
        assertThat(browser.detail()).contains("step SomethingNew");
        assertThat(scheduler.pending()).hasSize(1);
        assertThat(shop.changes).isEmpty();
        assertThat(AvardaPaymentState.of("HandledByMerchant")).isEqualTo(AvardaPaymentState.UNKNOWN);
        assertThat(AvardaPaymentState.of("Outdated")).isEqualTo(AvardaPaymentState.EXPIRED);
        assertThat(AvardaPaymentState.of(null)).isEqualTo(AvardaPaymentState.UNKNOWN);
    }

    @Test
    void theStepOfABusinessPurchaseIsReadFromItsB2bObject() {
        avarda.putPayment(AvardaPaymentBuilder.payment(PURCHASE).mode("B2B").step("Completed").totalPrice("123.45").build());

        assertThat(callbacks.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.SETTLED);
    }

    @Test
    void apiServerErrorsAreRetriedWithBackoff() {
        putPayment("Completed", "123.45");
        avarda.failNext(503).failNext(500);
        notifyCompleted();

        scheduler.tick(DELAY);
        PendingAction first = scheduler.pending().get(0);
        assertThat(first.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503"));
        assertThat(first.action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        scheduler.tick(Duration.ofMinutes(1));
        assertThat(scheduler.pending().get(0).action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        scheduler.tick(Duration.ofMinutes(5));

        assertThat(shop.kinds()).containsExactly(Kind.PAID);
        assertThat(avarda.calls()).hasSize(3);
    }

    @Test
    void aClientErrorFromTheApiIsNotRetried() {
        putPayment("Completed", "123.45");
        avarda.failNext(404);
        notifyCompleted();

        scheduler.tick(DELAY);

        assertThat(scheduler.dead()).singleElement().satisfies(dead -> {
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).contains("404");
        });
    }

    @Test
    void aListenerFailureIsRetriedAndTheOrderIsStillPaidOnce() {
        putPayment("Completed", "123.45");
        shop.failuresToThrow.set(1);
        notifyCompleted();

        scheduler.tick(DELAY);
        assertThat(shop.changes).isEmpty();
        scheduler.tick(Duration.ofMinutes(1));

        assertThat(shop.kinds()).containsExactly(Kind.PAID);
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void theProcessingDelayIsConfigurable() {
        ManualDelayedActionScheduler other = new ManualDelayedActionScheduler(clock);
        AvardaCallbacks quick = AvardaCallbacks.builder().api(avarda).shop(shop).scheduler(other)
                .clock(clock).processingDelay(Duration.ofSeconds(3)).build();
        putPayment("Completed", "123.45");

        CallbackRouter.builder().clock(clock).endpoints(quick.endpoints()).build().dispatch(requests.completed(PURCHASE));

        assertThat(other.tick(Duration.ofSeconds(2))).isZero();
        assertThat(other.tick(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(shop.kinds()).containsExactly(Kind.PAID);
    }

    @Test
    void totalsWithinThreeMinorUnitsMatchByDefaultAndTheToleranceIsConfigurable() {
        putPayment("Completed", "123.48"); // 3 öre over the shop's 123.45
        assertThat(callbacks.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.SETTLED);

        TestShop strict = new TestShop().add(PURCHASE, "1001", "123.45");
        AvardaCallbacks exact = AvardaCallbacks.builder().api(avarda).shop(strict).scheduler(new ManualDelayedActionScheduler(clock))
                .amountTolerance(BigDecimal.ZERO).build();
        assertThat(exact.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(strict.kinds()).containsExactly(Kind.ON_HOLD);

        putPayment("Completed", "123.49"); // 4 öre over: beyond the default, within a wider one
        TestShop loose = new TestShop().add(PURCHASE, "1001", "123.45");
        AvardaCallbacks wider = AvardaCallbacks.builder().api(avarda).shop(loose).scheduler(new ManualDelayedActionScheduler(clock))
                .amountTolerance(new BigDecimal("0.05")).build();
        assertThat(wider.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.SETTLED);
        TestShop byDefault = new TestShop().add(PURCHASE, "1001", "123.45");
        AvardaCallbacks defaults = AvardaCallbacks.builder().api(avarda).shop(byDefault)
                .scheduler(new ManualDelayedActionScheduler(clock)).build();
        assertThat(defaults.confirmOrder(PURCHASE).outcome()).isEqualTo(Outcome.GAVE_UP);
    }

    @Test
    void theBuilderRefusesMissingOrContradictorySettings() {
        assertThatThrownBy(() -> AvardaCallbacks.builder().api(avarda).shop(shop).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> AvardaCallbacks.builder().shop(shop)
                .scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> AvardaCallbacks.builder().credentials(new AvardaCredentials("id", "secret"))
                .shop(shop).scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("environment");
        assertThatThrownBy(() -> AvardaCallbacks.builder().api(avarda).credentials(new AvardaCredentials("id", "secret"))
                .shop(shop).scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ignored");
        assertThatThrownBy(() -> module().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AvardaCallbacks.builder().amountTolerance(new BigDecimal("-0.01")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AvardaCallbacks.builder().authorization(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> callbacks.confirmOrder("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(callbacks.completedNotificationUrl("https://shop.example/callbacks/"))
                .isEqualTo("https://shop.example/callbacks/avarda/completed");
        assertThat(new AvardaCredentials("client", "the-secret").toString()).doesNotContain("the-secret");
        assertThat(AvardaEnvironment.PRODUCTION.baseUri().toString()).isEqualTo("https://checkout-api.avarda.com/");
        assertThat(AvardaEnvironment.STAGE.baseUri().toString()).isEqualTo("https://stage.checkout-api.avarda.com/");
    }
}
