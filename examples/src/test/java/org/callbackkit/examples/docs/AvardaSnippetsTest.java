package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaCredentials;
import org.callbackkit.avarda.AvardaEnvironment;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The Avarda snippets of docs/avarda.md, run. */
class AvardaSnippetsTest {

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";

    // tag::avarda-shop[]
    static class MyAvardaShop implements AvardaShop {
        final List<String> paid = new ArrayList<>();

        @Override
        public Optional<AvardaShopOrder> findOrder(String purchaseId) {
            // your order for this purchase; Optional.empty() while you have none: answered 404, sent again in 10 min
            return Optional.of(new AvardaShopOrder("4001", new BigDecimal("123.45"), "SEK", false));
        }

        @Override
        public void onStateChange(AvardaStateChange change) {
            if (change.kind() == AvardaStateChange.Kind.PAID) {
                paid.add(change.shopOrder().reference());
            }                                    // ON_HOLD: Avarda's total or currency differs from yours
        }
    }
    // end::avarda-shop[]

    @Test
    void theBuilderTakesACompletedNotification() {
        StateStore stateStore = new InMemoryStateStore();
        AvardaShop myAvardaShop = new MyAvardaShop();
        String clientId = "client-id";
        String clientSecret = "client-secret";
        String agreedAuthorizationValue = "Bearer a-long-random-value-agreed-with-avarda";
        // tag::avarda-builder[]
        AvardaCallbacks avarda = AvardaCallbacks.builder()
                .environment(AvardaEnvironment.PRODUCTION)           // or STAGE
                .credentials(new AvardaCredentials(clientId, clientSecret))
                .authorization(agreedAuthorizationValue)             // optional: the static Authorization header Avarda sends
                .shop(myAvardaShop)
                .scheduler(scheduler).stateStore(stateStore)
                .build();
        var router = CallbackRouter.builder().endpoints(avarda.endpoints()).build();  // POST /avarda/completed
        String url = avarda.completedNotificationUrl("https://shop.example/callbacks");  // Avarda's CompletedNotificationUrl
        // end::avarda-builder[]
        assertThat(url).isEqualTo("https://shop.example/callbacks/avarda/completed");
        var requests = new AvardaCallbackRequests();
        assertThat(router.dispatch(requests.completed(PURCHASE)).status()).as("no Authorization").isEqualTo(401);
        assertThat(router.dispatch(requests.authorization(agreedAuthorizationValue).completed(PURCHASE)).status())
                .isEqualTo(200);
        assertThat(scheduler.pending()).hasSize(1);
    }

    @Test
    void scriptRunVerify() {
        MyAvardaShop shop = new MyAvardaShop();
        // tag::avarda-test[]
        var avardaApi = new FakeAvardaApi().clock(clock);
        var avarda = AvardaCallbacks.builder().api(avardaApi).shop(shop).scheduler(scheduler).clock(clock).build();
        var router = CallbackRouter.builder().endpoints(avarda.endpoints()).clock(clock).build();

        avardaApi.putPayment(AvardaPaymentBuilder.payment(PURCHASE).totalPrice("123.45").build());
        router.dispatch(new AvardaCallbackRequests().completed(PURCHASE));
        scheduler.tick(Duration.ofSeconds(120));
        assertThat(shop.paid).containsExactly("4001");
        // end::avarda-test[]
    }
}
