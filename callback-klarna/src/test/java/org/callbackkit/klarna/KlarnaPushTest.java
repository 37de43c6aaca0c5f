package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.callbackkit.klarna.KlarnaFixture.ORDER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Settlement.Outcome;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.Call;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KlarnaPushTest {

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void hundredDeliveriesOfOnePushAreOneConfirmationAndOneAcknowledge(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();

        List<CallbackResponse> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(f.push());
        }
        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
        assertThat(f.scheduler.pending()).hasSize(1);
        assertThat(f.scheduler.pending().get(0).action().type()).isEqualTo(flavour.provider() + ".push");
        f.scheduler.runDue();
        for (int i = 0; i < 100; i++) {
            responses.add(f.push());
        }

        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud ACCEPTED");
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.api.order(ORDER).orElseThrow().merchantReference1()).contains("1001");
        assertThat(f.api.calls()).containsExactly("GET_ORDER " + ORDER, "ACKNOWLEDGE " + ORDER,
                "SET_MERCHANT_REFERENCES " + ORDER);
        assertThat(f.klarna.isAcknowledged(ORDER)).isTrue();
        assertThat(f.scheduler.runDue()).isZero();
        List<JournalEntry> pushes = f.journaled(KlarnaCallbacks.PUSH);
        assertThat(pushes).hasSize(200);
        assertThat(pushes.stream().filter(e -> e.outcome() == CallbackOutcome.ACCEPTED)).hasSize(1);
        assertThat(pushes.get(0).detail()).contains("already acknowledged");
        assertThat(pushes).allSatisfy(push -> assertThat(push.orderReferences()).containsExactly(ORDER));
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aPushThatConfirmsTheOrderIsJournaledDistinctlyAndTheHostIsTold(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();

        f.push();
        f.scheduler.runDue();

        assertThat(f.shop.completedByPush).containsExactly(ORDER);
        List<JournalEntry> completed = f.journaled(KlarnaCallbacks.PUSH_COMPLETED);
        assertThat(completed).singleElement().satisfies(entry -> {
            assertThat(entry.provider()).isEqualTo(flavour.provider());
            assertThat(entry.detail()).contains("shop order 1001", ORDER, "browser never reached the confirmation page");
        });
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void mismatchIsNotAcknowledgedAndTheHostIsToldEachTimeKlarnaPushes(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 3, 5000).build());

        f.push();
        f.scheduler.runDue();

        assertThat(f.api.acknowledged()).isEmpty();
        assertThat(f.shop.confirmed).isEmpty();
        assertThat(f.shop.mismatches).containsExactly(List.of("total is 15000 at Klarna, 10000 in the shop",
                "line sku-1: quantity 3 at Klarna (amount 15000), 2 in the shop"));
        assertThat(f.scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).contains("not acknowledged", "total is 15000"));

        f.clock.advance(Duration.ofMinutes(5));
        assertThat(f.push().status()).isEqualTo(200); // Klarna pushes again; the dead action is superseded
        f.scheduler.runDue();
        assertThat(f.shop.mismatches).hasSize(2);
        assertThat(f.api.acknowledged()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void totalWithinOneMinorUnitMatchesAndTwoDoNot(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 10001).build());
        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 10000));
        f.api.putOrder(KlarnaOrderBuilder.order("other").line("sku-1", 1, 10002).build());
        f.shop.order("other", KlarnaShopOrder.of("1002", "sek", 10000));

        assertThat(f.klarna.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(f.klarna.confirmOrder("other").outcome()).isEqualTo(Outcome.GAVE_UP);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void orderManagement503ThenOkIsRetriedWithBackoffAndAcknowledged(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.failNext(Call.GET_ORDER, 503, "SERVICE_UNAVAILABLE");

        f.push();
        f.scheduler.runDue();
        assertThat(f.api.acknowledged()).isEmpty();
        assertThat(f.scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.action().runAt()).isEqualTo(f.clock.instant().plusSeconds(30)));

        assertThat(f.scheduler.tick(Duration.ofSeconds(29))).isZero();
        assertThat(f.scheduler.tick(Duration.ofSeconds(1))).isEqualTo(1);

        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.shop.confirmed).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void shopOrderNotFoundYetIsRetriedAndNotAcknowledged(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 2, 5000).build());

        f.push();
        f.scheduler.runDue();
        f.scheduler.tick(Duration.ofSeconds(30));
        assertThat(f.api.acknowledged()).isEmpty();
        assertThat(f.scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("the shop has no order")));

        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 10000));
        f.scheduler.tick(Duration.ofMinutes(2));

        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.shop.confirmed).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aPushForAnOrderKlarnaDoesNotKnowEndsDeadWithoutTouchingTheShop(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        assertThat(f.push().status()).isEqualTo(200);
        f.scheduler.runDue();

        assertThat(f.scheduler.dead()).singleElement()
                .satisfies(dead -> assertThat(dead.lastError()).contains("404", "NO_SUCH_ORDER"));
        assertThat(f.shop.confirmed).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void referencesFailingAfterTheAcknowledgeAreRetriedWithoutConfirmingAgain(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.failNext(Call.SET_MERCHANT_REFERENCES, 500, "INTERNAL_ERROR");

        f.push();
        f.scheduler.runDue();
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.api.order(ORDER).orElseThrow().merchantReference1()).isEmpty();

        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.api.order(ORDER).orElseThrow().merchantReference1()).contains("1001");
        assertThat(f.shop.confirmed).hasSize(1);
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.scheduler.pending()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void browserFirstMakesThePushADuplicate(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();

        Settlement browser = f.klarna.confirmOrder(ORDER);
        CallbackResponse push = f.push();

        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(push.status()).isEqualTo(200);
        assertThat(f.journaled(KlarnaCallbacks.PUSH)).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.DUPLICATE));
        assertThat(f.scheduler.pending()).isEmpty();
        assertThat(f.shop.confirmed).containsExactly(ORDER + " by BROWSER fraud ACCEPTED");
        assertThat(f.shop.completedByPush).isEmpty();
        assertThat(f.journaled(KlarnaCallbacks.PUSH_COMPLETED)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void pushFirstMakesTheBrowserConfirmationANoOp(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.push();
        f.scheduler.runDue();
        int callsBefore = f.api.calls().size();

        Settlement browser = f.klarna.confirmOrder(ORDER);

        assertThat(browser.outcome()).isEqualTo(Outcome.ALREADY_SETTLED);
        assertThat(browser.settled()).isTrue();
        assertThat(f.api.calls()).hasSize(callsBefore);
        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud ACCEPTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anOrderTheShopConfirmedByItselfIsOnlyAcknowledged(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.shop.order(ORDER, f.shop.findOrder(ORDER).orElseThrow().asConfirmed());

        f.push();
        f.scheduler.runDue();

        assertThat(f.shop.confirmed).isEmpty();
        assertThat(f.shop.completedByPush).isEmpty();
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void pendingFraudIsConfirmedForTheShopToHoldAndStillAcknowledged(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("PENDING").line("sku-1", 2, 5000).build());

        Settlement browser = f.klarna.confirmOrder(ORDER);

        assertThat(browser.providerStatus()).as("the return page can say 'pending review'").isEqualTo("PENDING");
        assertThat(f.shop.confirmed).containsExactly(ORDER + " by BROWSER fraud PENDING");
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aBrowserConfirmationWhoseAcknowledgeFailsIsStillConfirmedAndFinishedInTheBackground(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.failNext(Call.ACKNOWLEDGE, 503, "SERVICE_UNAVAILABLE");

        Settlement browser = f.klarna.confirmOrder(ORDER);

        assertThat(browser.outcome()).isEqualTo(Outcome.SETTLED);
        assertThat(browser.detail()).contains("retried in the background", "503");
        assertThat(f.shop.confirmed).hasSize(1);
        assertThat(f.api.acknowledged()).isEmpty();

        f.scheduler.runDue();

        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.shop.confirmed).hasSize(1);
        assertThat(f.shop.completedByPush).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aBrowserConfirmationThatCannotReadTheOrderThrowsAndLeavesThePushWorkScheduled(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.failNext(Call.GET_ORDER, 503, "SERVICE_UNAVAILABLE");

        assertThatThrownBy(() -> f.klarna.confirmOrder(ORDER)).isInstanceOf(ProviderApiException.class)
                .satisfies(e -> assertThat(((ProviderApiException) e).retryable()).isTrue());
        assertThat(f.shop.confirmed).isEmpty();

        f.scheduler.runDue();

        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud ACCEPTED");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aFailedAcknowledgeNeverConfirmsAgainEvenWhenTheShopDoesNotReportItConfirmed(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        // A held (PENDING) order is not "paid", and this shop reports only paid orders as confirmed.
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).fraudStatus("PENDING").line("sku-1", 2, 5000).build());
        f.shop.reportConfirmed = false;
        f.api.failNext(Call.ACKNOWLEDGE, 503, "SERVICE_UNAVAILABLE");

        f.push();
        f.scheduler.runDue();
        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud PENDING");
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.shop.completedByPush).containsExactly(ORDER);
        assertThat(f.journaled(KlarnaCallbacks.PUSH_COMPLETED)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aShopThatThrowsWhileConfirmingIsNotAcknowledgedAndIsAskedAgainLater(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.shop.failConfirm = new IllegalStateException("order table locked");

        f.push();
        f.scheduler.runDue();
        assertThat(f.api.acknowledged()).isEmpty();
        assertThat(f.scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.lastError()).hasValueSatisfying(e -> assertThat(e).contains("order table locked")));

        f.shop.failConfirm = null;
        f.scheduler.tick(Duration.ofSeconds(30));

        assertThat(f.shop.confirmed).hasSize(1);
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void anOrderCancelledAtKlarnaIsNeverConfirmed(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).status("CANCELLED").line("sku-1", 2, 5000).build());

        Settlement browser = f.klarna.confirmOrder(ORDER);

        assertThat(browser.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(f.shop.mismatches).containsExactly(List.of("the order is CANCELLED at Klarna"));
        assertThat(f.shop.confirmed).isEmpty();
        assertThat(f.api.acknowledged()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void referencesFailingInTheBrowserPathStillConfirmAndFinishInTheBackground(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.api.failNext(Call.SET_MERCHANT_REFERENCES, 500, "INTERNAL_ERROR");

        assertThat(f.klarna.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.SETTLED);
        f.scheduler.runDue();

        assertThat(f.api.order(ORDER).orElseThrow().merchantReference1()).contains("1001");
        assertThat(f.shop.confirmed).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aBurstOfPushesOnManyThreadsIsOneAction(KlarnaFlavour flavour) throws Exception {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CallbackResponse>> pushes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                pushes.add(pool.submit(() -> {
                    start.await();
                    return f.push();
                }));
            }
            start.countDown();
            for (Future<CallbackResponse> push : pushes) {
                assertThat(push.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        f.scheduler.runDue();

        assertThat(f.shop.confirmed).hasSize(1);
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.journaled(KlarnaCallbacks.PUSH).stream().filter(e -> e.outcome() == CallbackOutcome.ACCEPTED))
                .hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void theAmountToleranceIsConfigurable(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour, KlarnaCallbacks.builder().amountTolerance(0));
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 10001).build());
        f.shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 10000));

        assertThat(f.klarna.confirmOrder(ORDER).outcome()).isEqualTo(Outcome.GAVE_UP);
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void browserConfirmationsRacingThePushOnManyThreadsConfirmExactlyOnce(KlarnaFlavour flavour) throws Exception {
        for (int round = 0; round < 20; round++) {
            KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
            f.push();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> runs = new ArrayList<>();
                runs.add(pool.submit(() -> {
                    start.await();
                    return f.scheduler.runDue();
                }));
                for (int i = 0; i < 7; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return f.klarna.confirmOrder(ORDER);
                    }));
                }
                start.countDown();
                for (Future<?> run : runs) {
                    run.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(f.shop.confirmed).as("round " + round).hasSize(1);
            assertThat(f.api.acknowledged()).as("round " + round).containsExactly(ORDER);
            assertThat(f.scheduler.pending()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void thePushUrlOfKlarnasDocsWithTheOrderIdInTheQueryIsTakenToo(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        String parameter = flavour == KlarnaFlavour.KLARNA ? "klarna_order_id" : "kustom_order_id";
        // as the docs show it: merchant_urls.push = https://shop.example/push?klarna_order_id={checkout.order.id},
        // here with a parameter a migrating shop's old plugin added
        CallbackResponse pushed = f.router.dispatch(CallbackRequests.post("/" + flavour.provider() + "/push")
                .query(Map.of(parameter, List.of(ORDER), "sid", List.of("shop-session-1"))).receivedAt(f.clock.instant())
                .build());

        assertThat(pushed.status()).isEqualTo(200);
        f.scheduler.runDue();
        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud ACCEPTED");
        assertThat(f.klarna.merchantUrls("https://shop.example/callbacks").get(KlarnaCallbacks.PUSH))
                .as("the URL the module hands out has the documented shape")
                .endsWith("/push?" + parameter + "={checkout.order.id}");
        assertThat(f.requests.push(ORDER).build().query()).as("and the test requests send it")
                .containsEntry(parameter, List.of(ORDER));
        assertThat(f.router.dispatch(f.requests.pushWithOrderIdInPath(ORDER).receivedAt(f.clock.instant()).build())
                .status()).as("the path shape is read too").isEqualTo(200);

        CallbackResponse noId = f.router.dispatch(CallbackRequests.post("/" + flavour.provider() + "/push")
                .receivedAt(f.clock.instant()).build());
        assertThat(noId.status()).isEqualTo(400);
        assertThat(noId.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(noId.bodyAsString()).contains("names no Klarna order");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void theShopsInternalIdIsSetAsTheSecondMerchantReference(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour).withMatchingOrder();
        f.shop.order(ORDER, f.shop.findOrder(ORDER).orElseThrow().withInternalId("internal-77"));

        f.push();
        f.scheduler.runDue();

        KlarnaOrder atKlarna = f.api.order(ORDER).orElseThrow();
        assertThat(atKlarna.merchantReference1()).contains("1001");
        assertThat(atKlarna.merchantReference2()).contains("internal-77");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aHostThatOptsInCreatesTheMissingOrderFromKlarnasAndItIsConfirmedOnce(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 2, 5000).build());
        f.shop.creator = order -> {
            KlarnaShopOrder created = KlarnaShopOrder.of("backup-1", order.purchaseCurrency(), order.orderAmount())
                    .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 2)));
            f.shop.order(order.orderId(), created);
            return java.util.Optional.of(created);
        };

        f.push();
        f.scheduler.runDue();
        f.push();
        f.scheduler.runDue();

        assertThat(f.shop.confirmed).containsExactly(ORDER + " by CALLBACK fraud ACCEPTED");
        assertThat(f.api.acknowledged()).containsExactly(ORDER);
        assertThat(f.api.order(ORDER).orElseThrow().merchantReference1()).contains("backup-1");
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void noBackupOrderIsCreatedForAnOrderKlarnaCancelled(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);
        f.api.putOrder(KlarnaOrderBuilder.order(ORDER).status("CANCELLED").line("sku-1", 2, 5000).build());
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        f.shop.creator = order -> {
            asked.incrementAndGet();
            return java.util.Optional.empty();
        };

        f.push();
        f.scheduler.runDue();

        assertThat(asked).as("a cancelled order is never confirmed, so none is created for it").hasValue(0);
        assertThat(f.shop.confirmed).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void aPushWithoutAUsableOrderIdIs400AndSchedulesNothing(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        CallbackResponse response = f.router.dispatch(f.requests.push("bad%20id%3Cscript%3E").build());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"the URL has no Klarna order id\"}");
        assertThat(f.scheduler.pending()).isEmpty();
        assertThat(f.router.dispatch(f.requests.push(ORDER).method("GET").build()).status()).isEqualTo(405);
        assertThat(f.api.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KlarnaFlavour.class)
    void confirmOrderRefusesSomethingThatIsNotAnOrderId(KlarnaFlavour flavour) {
        KlarnaFixture f = new KlarnaFixture(flavour);

        assertThatThrownBy(() -> f.klarna.confirmOrder("../../admin")).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.api.calls()).isEmpty();
    }
}
