package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Settlement.Outcome;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.junit.jupiter.api.Test;

/** The notification's delayed action and the browser confirmation, on a manual scheduler and clock: no sleeping. */
class EcsterCallbacksTest {

    private static final String ORDER = "eYBtAD0wTZIzDWkVpGhe";
    private static final Duration DELAY = EcsterCallbacks.DEFAULT_PROCESSING_DELAY;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final FakeEcsterApi ecster = new FakeEcsterApi();
    private final TestShop shop = new TestShop().link(ORDER, "1001");
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final EcsterCallbackRequests requests = new EcsterCallbackRequests();

    private EcsterCallbacks.Builder module() {
        return EcsterCallbacks.builder().api(ecster).shop(shop).scheduler(scheduler).clock(clock)
                .stateStore(store);
    }

    private final EcsterCallbacks callbacks = module().build();
    private final CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
            .endpoints(callbacks.endpoints()).build();

    private int notify(String status) {
        return router.dispatch(requests.receivedAt(clock.instant()).notification(ORDER, status)).status();
    }

    private void putOrder(String status) {
        ecster.putOrder(EcsterOrderBuilder.order(ORDER).status(status).line("sku-1", "Mug", 2, 9900).build());
    }

    @Test
    void theOrderIsReadAt120SecondsAndNotBefore() {
        putOrder("READY");

        assertThat(notify("READY")).isEqualTo(200);
        assertThat(scheduler.tick(Duration.ofSeconds(119))).isZero();
        assertThat(ecster.calls()).isEmpty();
        assertThat(shop.changes).isEmpty();

        assertThat(scheduler.tick(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(ecster.calls()).containsExactly(ORDER);
        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.state()).isEqualTo(EcsterOrderState.PAID);
            assertThat(change.source()).isEqualTo(Source.CALLBACK);
            assertThat(change.shopOrder().reference()).isEqualTo("1001");
            assertThat(change.order().amount()).isEqualTo(19800);
        });
        assertThat(scheduler.pending()).isEmpty();
        assertThat(callbacks.orderState(ORDER).settled()).isTrue();
    }

    @Test
    void fiftyNotificationsForOneOrderAreOneActionAndOneStateChange() {
        putOrder("READY");

        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            assertThat(notify(i % 2 == 0 ? "PENDING_SIGNATURE" : "READY")).isEqualTo(200);
        }

        assertThat(scheduler.pending()).singleElement()
                .satisfies(pending -> assertThat(pending.action().runAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.100Z")
                        .plus(DELAY)));
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.ACCEPTED).build())).hasSize(1);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.DUPLICATE).limit(100).build())).hasSize(49);
        assertThat(journal.find(JournalQuery.builder().orderReference(ORDER).limit(100).build())).as("every one, by order id")
                .hasSize(50);
        assertThat(scheduler.tick(DELAY)).isEqualTo(1);
        assertThat(ecster.calls()).hasSize(1);
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
    }

    /** A notification as Ecster's "Order Event Notification" documents it, written out here. */
    private int notifyAsDocumented(String status) {
        String body = "{\"orderId\":\"" + ORDER + "\",\"orderReference\":\"1001\",\"status\":\"" + status
                + "\",\"time\":\"2026-12-07T10:15:00.000+01:00\"}";
        return router.dispatch(requests.receivedAt(clock.instant()).withBody(body)).status();
    }

    @Test
    void aPaidOrderWhoseAmountDiffersIsHeldOnceWithTheDifferenceAndNeverPaid() {
        ecster.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").line("sku-1", "Mug", 2, 9900)
                .line("sku-2", "Lid", 1, 3000).build()); // 22800 at Ecster, 19800 in the shop

        assertThat(notifyAsDocumented("READY")).isEqualTo(200);
        scheduler.tick(DELAY);
        assertThat(notifyAsDocumented("READY")).isEqualTo(200);
        scheduler.tick(DELAY);
        Settlement browser = callbacks.confirmOrder(ORDER);

        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.state()).isEqualTo(EcsterOrderState.ON_HOLD);
            assertThat(change.reason()).isEqualTo("amount 22800 at Ecster, 19800 in the shop (minor units)");
        });
        assertThat(shop.paid).isEmpty();
        assertThat(browser.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(browser.detail()).contains("on hold").contains("22800");
        assertThat(scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).contains("amount 22800 at Ecster"));
        assertThat(ecster.referenceUpdates()).isEmpty();
    }

    @Test
    void anotherCurrencyAtEcsterIsHeldToo() {
        ecster.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").currency("NOK").line("sku-1", "Mug", 2, 9900).build());

        assertThat(callbacks.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.GAVE_UP);

        assertThat(shop.changes).singleElement()
                .satisfies(change -> assertThat(change.reason()).isEqualTo("currency NOK at Ecster, SEK in the shop"));
    }

    @Test
    void theShopsReferenceIsSetOnThePaidOrderOnceEvenWhenTheFirstTryFails() {
        putOrder("READY");
        ecster.failNextReferenceUpdate(503);

        assertThat(notifyAsDocumented("READY")).isEqualTo(200);
        scheduler.tick(DELAY);
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(ecster.storedOrder(ORDER).orElseThrow().orderReference()).isEmpty();
        assertThat(scheduler.pending()).as("the failed update is retried").hasSize(1);

        assertThat(scheduler.tick(Duration.ofMinutes(1))).isEqualTo(1);
        notifyAsDocumented("FULLY_DELIVERED");
        scheduler.tick(DELAY);

        assertThat(ecster.storedOrder(ORDER).orElseThrow().orderReference()).contains("1001");
        assertThat(ecster.referenceUpdates()).as("once failed, once made, never again").hasSize(2);
        assertThat(shop.states()).as("paid once").containsExactly(EcsterOrderState.PAID);
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void aPartialDeliveryAfterPaymentReachesTheShopAsANoteOnce() {
        putOrder("READY");
        notifyAsDocumented("READY");
        scheduler.tick(DELAY);

        ecster.setStatus(ORDER, "PARTIALLY_DELIVERED");
        assertThat(notifyAsDocumented("PARTIALLY_DELIVERED")).isEqualTo(200);
        scheduler.tick(DELAY);
        assertThat(notifyAsDocumented("PARTIALLY_DELIVERED")).isEqualTo(200);
        scheduler.tick(DELAY);
        ecster.setStatus(ORDER, "ANNULED");
        notifyAsDocumented("ANNULED");
        scheduler.tick(DELAY);

        assertThat(shop.changes).extracting(EcsterStateChange::state, EcsterStateChange::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EcsterOrderState.PAID, Source.CALLBACK),
                org.assertj.core.groups.Tuple.tuple(EcsterOrderState.PARTIALLY_DELIVERED, Source.CALLBACK));
        assertThat(callbacks.orderState(ORDER).settled()).as("still paid").isTrue();
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void theBrowserConfirmingFirstMakesTheActionANoOp() {
        putOrder("READY");
        notify("READY");

        clock.advance(Duration.ofSeconds(30));
        Settlement browser = callbacks.confirmOrder(ORDER);
        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(browser.settled()).isTrue();

        assertThat(scheduler.tick(DELAY)).isEqualTo(1);
        assertThat(shop.changes).singleElement()
                .satisfies(change -> assertThat(change.source()).isEqualTo(Source.BROWSER));
        assertThat(ecster.calls()).as("the action reads the paid order once more, for a later partial delivery")
                .hasSize(2);
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void theNotificationFirstPaysOnceAndTheBrowserIsThenANoOp() {
        putOrder("FULLY_DELIVERED");
        notify("FULLY_DELIVERED");
        scheduler.tick(DELAY);

        clock.advance(Duration.ofMinutes(10));
        Settlement browser = callbacks.confirmOrder(ORDER);

        assertThat(browser.outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        assertThat(browser.detail()).contains(ORDER).contains("settled before");
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(shop.changes.get(0).source()).isEqualTo(Source.CALLBACK);
    }

    @Test
    void aPaidOrderIsNeverDowngradedByALaterDenied() {
        putOrder("READY");
        notify("READY");
        scheduler.tick(DELAY);

        ecster.setStatus(ORDER, "DENIED");
        notify("DENIED");
        scheduler.tick(DELAY);
        Settlement browser = callbacks.confirmOrder(ORDER);

        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(browser.outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void anOrderTheShopPaidByAnotherPathIsNeitherPaidAgainNorCancelled() {
        shop.paid.add("1001");
        putOrder("ANNULED");

        assertThat(callbacks.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        notify("ANNULED");
        scheduler.tick(DELAY);

        assertThat(shop.changes).isEmpty();
        assertThat(ecster.calls()).as("the browser does not ask; the notification reads it, for a partial delivery")
                .hasSize(1);
    }

    @Test
    void cancelledFailedPendingAndPartiallyDeliveredAreEachReportedOnce() {
        String[][] cases = {{"o-denied", "DENIED"}, {"o-aborted", "ABORTED"}, {"o-expired", "EXPIRED"},
            {"o-stopped", "STOPPED"}, {"o-failed", "FAILED"}, {"o-pending", "PENDING_DECISION"},
            {"o-contract", "AWAITING_CONTRACT"}, {"o-partial", "PARTIALLY_DELIVERED"}};
        for (String[] c : cases) {
            shop.link(c[0], "shop-" + c[0]);
            ecster.putOrder(EcsterOrderBuilder.order(c[0]).status(c[1]).build());
            router.dispatch(requests.notification(c[0], c[1]));
        }
        scheduler.tick(DELAY);
        for (String[] c : cases) {
            callbacks.confirmOrder(c[0]); // the browser sees the same status: not reported again
        }

        assertThat(shop.states()).containsExactly(EcsterOrderState.CANCELLED, EcsterOrderState.CANCELLED,
                EcsterOrderState.CANCELLED, EcsterOrderState.CANCELLED, EcsterOrderState.FAILED,
                EcsterOrderState.PENDING, EcsterOrderState.PENDING, EcsterOrderState.PARTIALLY_DELIVERED);
        assertThat(callbacks.confirmOrder("o-contract")).satisfies(again -> {
            assertThat(again.outcome()).as("told before").isEqualTo(Outcome.NOTHING);
            assertThat(again.detail()).contains("AWAITING_CONTRACT");
        });
        assertThat(callbacks.confirmOrder("o-stopped")).satisfies(again -> {
            assertThat(again.providerStatus()).isEqualTo("STOPPED");
            assertThat(again.detail()).contains("CANCELLED");
        });
        assertThat(shop.paid).isEmpty();
    }

    @Test
    void aPendingOrderBecomesPaidWhenEcsterSaysSoLater() {
        putOrder("PENDING_SIGNATURE");
        assertThat(callbacks.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.TOLD);

        ecster.setStatus(ORDER, "READY");
        notify("READY");
        scheduler.tick(DELAY);

        assertThat(shop.states()).containsExactly(EcsterOrderState.PENDING, EcsterOrderState.PAID);
    }

    @Test
    void anUnknownStatusIsReportedAsDataAndDoesNotCrash() {
        putOrder("SOMETHING_NEW");

        notify("SOMETHING_NEW");
        scheduler.tick(DELAY);

        assertThat(shop.changes).singleElement().satisfies(change -> {
            assertThat(change.state()).isEqualTo(EcsterOrderState.UNKNOWN);
            assertThat(change.status()).isEqualTo("SOMETHING_NEW");
        });
        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
        assertThat(callbacks.confirmOrder(ORDER)).satisfies(again -> {
            assertThat(again.outcome()).as("told before").isEqualTo(Outcome.NOTHING);
            assertThat(again.detail()).contains("SOMETHING_NEW").contains("UNKNOWN");
        });
        assertThat(EcsterOrderState.of("BLOCKED")).isEqualTo(EcsterOrderState.UNKNOWN);
        assertThat(EcsterOrderState.of(null)).isEqualTo(EcsterOrderState.UNKNOWN);
    }

    @Test
    void apiServerErrorsAreRetriedWithBackoff() {
        putOrder("READY");
        ecster.failNext(503).failNext(502);
        notify("READY");

        scheduler.tick(DELAY);
        PendingAction first = scheduler.pending().get(0);
        assertThat(first.lastError()).hasValueSatisfying(error -> assertThat(error).contains("503"));
        assertThat(first.action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

        scheduler.tick(Duration.ofMinutes(1));
        PendingAction second = scheduler.pending().get(0);
        assertThat(second.lastError()).hasValueSatisfying(error -> assertThat(error).contains("502"));
        assertThat(second.action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));

        assertThat(scheduler.tick(Duration.ofMinutes(4))).isZero();
        assertThat(scheduler.tick(Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(ecster.calls()).hasSize(3);
    }

    @Test
    void aClientErrorFromTheApiIsNotRetried() {
        putOrder("READY");
        ecster.failNext(401);
        notify("READY");

        scheduler.tick(DELAY);

        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).singleElement().satisfies(dead -> {
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).contains("401").contains(ORDER);
        });
        assertThat(shop.changes).isEmpty();
    }

    @Test
    void aShopOrderThatNeverAppearsEndsDeadWithAReasonTheOperatorCanRead() {
        shop.byEcsterId.clear();
        putOrder("READY");
        router.dispatch(requests.temporaryReference("cart-77").notification(ORDER, "READY"));

        scheduler.tick(DELAY);
        for (int i = 0; i < 100 && !scheduler.pending().isEmpty(); i++) {
            scheduler.tick(Duration.ofHours(2));
        }

        assertThat(scheduler.dead()).singleElement().satisfies(dead -> {
            assertThat(dead.attempts()).isEqualTo(EcsterCallbacks.ACTION_RETRY_SCHEDULE.maxAttempts());
            assertThat(dead.lastError()).isEqualTo("the shop has no order for Ecster order " + ORDER
                    + " (Ecster status READY)");
        });
        assertThat(shop.changes).isEmpty();
    }

    @Test
    void aShopOrderCreatedLaterIsFoundOnARetry() {
        shop.byEcsterId.clear();
        putOrder("READY");
        notify("READY");
        scheduler.tick(DELAY);
        assertThat(scheduler.pending()).hasSize(1);

        shop.link(ORDER, "1001");
        scheduler.tick(Duration.ofMinutes(1));

        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void theTemporaryReferenceFindsAnOrderTheBrowserNeverLinked() {
        shop.byEcsterId.clear();
        shop.byTemporaryReference.put("cart-77", "1002");
        putOrder("READY");

        router.dispatch(requests.temporaryReference("cart-77").notification(ORDER, "READY"));
        scheduler.tick(DELAY);

        assertThat(shop.changes).singleElement()
                .satisfies(change -> assertThat(change.shopOrder().reference()).isEqualTo("1002"));
        assertThat(callbacks.notificationUrl("https://shop.example/callbacks/", "cart-77"))
                .isEqualTo("https://shop.example/callbacks/ecster/notification?temporaryReference=cart-77");
    }

    @Test
    void aCancelledOrderTheShopNeverHadEndsQuietly() {
        shop.byEcsterId.clear();
        putOrder("ABORTED");

        notify("ABORTED");
        scheduler.tick(DELAY);

        assertThat(scheduler.pending()).isEmpty();
        assertThat(scheduler.dead()).isEmpty();
        assertThat(shop.changes).isEmpty();
    }

    @Test
    void anOptedInHostCreatesTheMissingOrderFromEverythingEcsterHands() {
        shop.byEcsterId.clear();
        List<EcsterOrder> created = new ArrayList<>();
        EcsterCallbacks creating = module().scheduler(new ManualDelayedActionScheduler(clock)).build();
        shop.creator = order -> {
            created.add(order);
            shop.link(order.id(), "backup-1");
            return Optional.of(new EcsterShopOrder("backup-1", order.amount(), order.currency(), false));
        };
        ecster.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").currency("SEK").paymentMethod("SWISH")
                .line("sku-1", "Mug", 2, 9900).line("ship", "Shipping", 1, 4900).build());

        assertThat(creating.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(creating.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.ALREADY_SETTLED);

        assertThat(created).singleElement().satisfies(order -> {
            assertThat(order.amount()).isEqualTo(24700);
            assertThat(order.currency()).isEqualTo("SEK");
            assertThat(order.paymentMethod()).isEqualTo("SWISH");
            assertThat(order.buyer().email()).isEqualTo("test@example.com");
            assertThat(order.buyer().country()).isEqualTo("SE");
            assertThat(order.lines()).extracting(EcsterOrderLine::partNumber, EcsterOrderLine::unitAmount)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("sku-1", 9900L),
                            org.assertj.core.groups.Tuple.tuple("ship", 4900L));
            assertThat(order.lines().get(0).quantity()).isEqualByComparingTo("2");
        });
        assertThat(shop.changes).singleElement()
                .satisfies(change -> assertThat(change.shopOrder().reference()).isEqualTo("backup-1"));
    }

    @Test
    void noOrderIsCreatedForAnOrderEcsterHasNotPaid() {
        shop.byEcsterId.clear();
        List<EcsterOrder> created = new ArrayList<>();
        EcsterCallbacks creating = module().scheduler(new ManualDelayedActionScheduler(clock)).build();
        shop.creator = order -> {
            created.add(order);
            return Optional.of(new EcsterShopOrder("backup-1", order.amount(), order.currency(), false));
        };
        putOrder("PENDING_PAYMENT");

        assertThat(creating.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.WAITING);
        assertThat(created).isEmpty();
    }

    @Test
    void aListenerFailureIsRetriedAndTheOrderIsStillPaidOnce() {
        putOrder("READY");
        shop.failuresToThrow.set(1);
        notify("READY");

        scheduler.tick(DELAY);
        assertThat(shop.changes).isEmpty();
        assertThat(callbacks.orderState(ORDER).settled()).isFalse();
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("shop database down")));

        scheduler.tick(EcsterCallbacks.ACTION_RETRY_SCHEDULE.nextAttemptAfter(1).orElseThrow());
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
    }

    @Test
    void theBrowserAndTheActionRacingOnThreadsPayOnce() throws Exception {
        putOrder("READY");
        notify("READY");
        clock.advance(DELAY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return callbacks.confirmOrder(ORDER);
                }));
            }
            runs.add(pool.submit(() -> {
                go.await();
                return scheduler.runDue();
            }));
            go.countDown();
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
    }

    @Test
    void theProcessingDelayIsConfigurable() {
        ManualDelayedActionScheduler other = new ManualDelayedActionScheduler(clock);
        EcsterCallbacks quick = EcsterCallbacks.builder().api(ecster).shop(shop).scheduler(other)
                .clock(clock).processingDelay(Duration.ofSeconds(5)).build();
        CallbackRouter quickRouter = CallbackRouter.builder().clock(clock).endpoints(quick.endpoints()).build();
        putOrder("READY");

        quickRouter.dispatch(requests.notification(ORDER, "READY"));

        assertThat(other.tick(Duration.ofSeconds(4))).isZero();
        assertThat(other.tick(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(shop.states()).containsExactly(EcsterOrderState.PAID);
    }

    @Test
    void theBuilderRefusesMissingOrContradictorySettings() {
        assertThatThrownBy(() -> EcsterCallbacks.builder().api(ecster).shop(shop).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> EcsterCallbacks.builder().shop(shop)
                .scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> EcsterCallbacks.builder().credentials(new EcsterCredentials("k", "m")).shop(shop)
               .scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("environment");
        assertThatThrownBy(() -> EcsterCallbacks.builder().api(ecster).credentials(new EcsterCredentials("k", "m")).shop(shop)
               .scheduler(new ManualDelayedActionScheduler(clock)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ignored");
        assertThatThrownBy(() -> module().build()).as("the action type is registered once per scheduler")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EcsterCallbacks.builder().processingDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcsterCallbacks.builder().sharedHeader("Bad Header", "value"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcsterCallbacks.builder().sharedHeader("X-Ok", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcsterCallbacks.builder().apiBaseUri(java.net.URI.create("http://secure.ecster.se/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> EcsterCallbacks.builder().path("no-slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> callbacks.confirmOrder("../orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> callbacks.notificationUrl("https://shop.example/callbacks", "a/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new EcsterCredentials("api-key-secret", "merchant-secret").toString()).doesNotContain("secret");
    }
}
