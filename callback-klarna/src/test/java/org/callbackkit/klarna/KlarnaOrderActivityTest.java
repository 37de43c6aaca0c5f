package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement.Call;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A push read and acknowledged over HTTP, against the loopback fake of Order Management: the
 * journal the module was given holds every call and run for the order, for the journal page.
 */
class KlarnaOrderActivityTest {

    private static final String ORDER = KlarnaFixture.ORDER;

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final FakeKlarnaOrderManagement api = new FakeKlarnaOrderManagement();
    private final TestShop shop = new TestShop();
    private final KlarnaCallbacks klarna = KlarnaCallbacks.builder()
            .environment(KlarnaEnvironment.PLAYGROUND)
            .credentials(api.credentials())
            .apiBaseUri(api.serve())
            .shop(shop)
            .scheduler(scheduler)
            .journal(journal)
            .clock(clock)
            .build();
    private final CallbackRouter router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal)
            .clock(clock).build();

    @AfterEach
    void stop() {
        klarna.close();
        api.close();
    }

    @Test
    void thePushsCallsAndRunsAreJournaledUnderTheOrder() {
        api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 2, 5000).build());
        shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 10000).withLines(List.of(new KlarnaShopOrder.Line("sku-1", 2))));
        api.failNext(Call.ACKNOWLEDGE, 503, "TEMPORARILY_UNAVAILABLE");

        router.dispatch(CallbackRequests.request("POST", "/klarna/push", clock).rawQuery("klarna_order_id=" + ORDER)
                .header("User-Agent", "APIs-Klarna").build());
        scheduler.runDue();
        assertThat(api.acknowledged()).as("the first acknowledge failed").isEmpty();
        scheduler.tick(Duration.ofHours(1));
        assertThat(api.acknowledged()).containsExactly(ORDER);

        List<OrderActivity> activity = journal.findActivity(ORDER, 100);
        List<OrderActivity> calls = activity.stream().filter(a -> a.kind() == OrderActivity.Kind.API_CALL).toList();
        List<OrderActivity> runs = activity.stream().filter(a -> a.kind() == OrderActivity.Kind.ACTION_RUN).toList();
        assertThat(calls).extracting(OrderActivity::source).containsOnly("klarna");
        assertThat(calls).extracting(OrderActivity::subject, OrderActivity::result).contains(
                org.assertj.core.groups.Tuple.tuple("GET /ordermanagement/v1/orders/{id}", "200"),
                org.assertj.core.groups.Tuple.tuple("POST /ordermanagement/v1/orders/{id}/acknowledge", "503"),
                org.assertj.core.groups.Tuple.tuple("POST /ordermanagement/v1/orders/{id}/acknowledge", "204"));
        assertThat(calls).as("timed on the injected clock, which stands still here")
                .allSatisfy(call -> assertThat(call.duration()).isZero())
                .noneSatisfy(call -> assertThat(call.toString()).contains(api.credentials().sharedSecret()));
        assertThat(runs).extracting(OrderActivity::attempt, OrderActivity::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "done"),
                org.assertj.core.groups.Tuple.tuple(1, "failed"));
        assertThat(runs.get(1).error()).contains("503");
        assertThat(runs.get(1).nextAttempt()).isPresent();
        assertThat(journal.findActivity("another-order", 100)).isEmpty();
    }
}
