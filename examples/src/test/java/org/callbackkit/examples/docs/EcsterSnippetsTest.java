package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterEnvironment;
import org.callbackkit.ecster.EcsterOrderState;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.junit.jupiter.api.Test;

/** The Ecster snippets of docs/ecster.md, run. */
class EcsterSnippetsTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);

    private static final String ECSTER_ORDER = "eYBtAD0wTZIzDWkVpGhe";

    // tag::ecster-shop[]
    static class MyEcsterShop implements EcsterShop {
        final List<String> paid = new ArrayList<>();

        @Override
        public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
            // your order for Ecster's id: reference, amount in minor units, currency, already paid?
            return Optional.of(new EcsterShopOrder("3001", 9900, "SEK", false));
        }

        @Override
        public void onStateChange(EcsterStateChange change) {
            if (change.state() == EcsterOrderState.PAID) {
                paid.add(change.shopOrder().reference());
            }                                    // ON_HOLD (amounts differ), CANCELLED, FAILED, ...: each told once
        }
    }
    // end::ecster-shop[]

    @Test
    void theBuilderTakesANotificationAndWaitsForTheBrowser() {
        StateStore stateStore = new InMemoryStateStore();
        EcsterShop myEcsterShop = new MyEcsterShop();
        String apiKey = "api-key";
        String merchantKey = "merchant-key";
        String agreedValue = "a-long-random-value-agreed-with-ecster";
        String cartReference = "cart-77";
        // tag::ecster-builder[]
        EcsterCallbacks ecster = EcsterCallbacks.builder()
                .environment(EcsterEnvironment.LIVE)                 // or LABS
                .credentials(new EcsterCredentials(apiKey, merchantKey))
                .sharedHeader("X-Shop-Notification", agreedValue)    // optional: the header Ecster is configured to send
                .shop(myEcsterShop)
                .amountTolerance(1)                                  // minor units; the default
                .scheduler(scheduler).stateStore(stateStore)         // durable ones in production
                .build();
        var router = CallbackRouter.builder().endpoints(ecster.endpoints()).build();  // POST /ecster/notification
        String notificationUrl = ecster.notificationUrl("https://shop.example/callbacks", cartReference); // give Ecster at cart creation
        // end::ecster-builder[]
        assertThat(notificationUrl).startsWith("https://shop.example/callbacks/ecster/notification?");
        var requests = new EcsterCallbackRequests().sharedHeader("X-Shop-Notification", agreedValue);
        assertThat(router.dispatch(requests.notification(ECSTER_ORDER, "READY")).status()).isEqualTo(200);
        assertThat(scheduler.pending()).hasSize(1);
        assertThat(router.dispatch(new EcsterCallbackRequests().notification(ECSTER_ORDER, "READY")).status())
                .as("without the shared header").isEqualTo(403);
    }

    @Test
    void scriptRunVerify() {
        MyEcsterShop shop = new MyEcsterShop();
        // tag::ecster-test[]
        var ecsterApi = new FakeEcsterApi();
        var ecster = EcsterCallbacks.builder().api(ecsterApi).shop(shop).scheduler(scheduler).clock(clock).build();
        var router = CallbackRouter.builder().endpoints(ecster.endpoints()).clock(clock).build();

        ecsterApi.putOrder(EcsterOrderBuilder.order(ECSTER_ORDER).status("READY").line("sku-1", "Mug", 1, 9900).build());
        router.dispatch(new EcsterCallbackRequests().notification(ECSTER_ORDER, "READY"));
        assertThat(ecsterApi.calls()).isEmpty();                  // nothing runs before the 120 s delay
        scheduler.tick(Duration.ofSeconds(120));
        assertThat(ecsterApi.calls()).containsExactly(ECSTER_ORDER);
        assertThat(shop.paid).containsExactly("3001");
        Settlement shown = ecster.confirmOrder(ECSTER_ORDER);    // the return page, if the shopper comes back
        assertThat(shown.outcome()).isEqualTo(Settlement.Outcome.ALREADY_SETTLED);
        // end::ecster-test[]
    }
}
