package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.state.InMemoryStateStore;
import org.junit.jupiter.api.Test;

/**
 * The Order Hook of Blockonomics' payment buttons, links and hosted checkouts, in the shapes
 * Blockonomics documents ("Order Callback": {@code ?secret=...&status=2&uuid=...}; the 2024
 * change to {@code order_id}, with both sent during the migration), written out here.
 */
class BlockonomicsOrderHookTest {

    private static final String SECRET = "q8V3m1x7Hk2Zr9Tn4Lp6Wc0Yb5Ds8Fg1";
    private static final String ORDER = "2b0c7e2cd523458098b2";

    private final List<OrderHookCallback> told = new CopyOnWriteArrayList<>();
    private final AtomicBoolean listenerFails = new AtomicBoolean();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder().secret(SECRET).stateStore(store)
            .orderHooks(callback -> {
                if (listenerFails.get()) {
                    throw new IllegalStateException("shop database down");
                }
                told.add(callback);
            }).build();
    private final CallbackRouter router = CallbackRouter.builder().journal(journal)
            .endpoints(blockonomics.endpoints()).build();
    private final BlockonomicsCallbackRequests requests =
            new BlockonomicsCallbackRequests(BlockonomicsCallbacks.DEFAULT_ORDER_HOOK_PATH, SECRET);

    private CallbackResponse hook(String rawQuery) {
        return router.dispatch(requests.withQuery(rawQuery));
    }

    private JournalEntry lastEntry() {
        return journal.find(JournalQuery.builder().limit(1).build()).get(0);
    }

    @Test
    void eachStatusOfAnOrderIsToldOnceInTheCurrentShape() {
        assertThat(hook("secret=" + SECRET + "&status=1&order_id=" + ORDER).status()).isEqualTo(200);
        assertThat(hook("secret=" + SECRET + "&status=2&order_id=" + ORDER).status()).isEqualTo(200);
        assertThat(lastEntry().kind()).isEqualTo(BlockonomicsCallbacks.ORDER_HOOK_KIND);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(hook("secret=" + SECRET + "&status=2&order_id=" + ORDER).status()).as("a redelivery").isEqualTo(200);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(lastEntry().query()).containsEntry("secret", List.of("***"));
        assertThat(lastEntry().orderReferences()).containsExactly(ORDER);

        assertThat(told).extracting(OrderHookCallback::orderId, OrderHookCallback::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ORDER, OrderHookState.IN_PROCESS),
                org.assertj.core.groups.Tuple.tuple(ORDER, OrderHookState.PAID));
    }

    @Test
    void theOlderUuidAndTheMigrationShapeAreTheSameOrder() {
        hook("secret=" + SECRET + "&status=2&uuid=" + ORDER);
        hook("secret=" + SECRET + "&status=2&uuid=" + ORDER + "&order_id=" + ORDER);
        hook("secret=" + SECRET + "&status=-1&uuid=" + ORDER + "&order_id=" + ORDER);

        assertThat(told).extracting(OrderHookCallback::state)
                .as("paid once, then the payment error after it, which is also logged")
                .containsExactly(OrderHookState.PAID, OrderHookState.PAYMENT_ERROR);
    }

    @Test
    void whatIsNotAnOrderHookIsRefusedWithAReasonAndToldNothing() {
        assertThat(hook("secret=" + SECRET + "&status=2").bodyAsString()).isEqualTo("{\"error\":\"missing order_id\"}");
        assertThat(hook("secret=" + SECRET + "&status=2&uuid=" + ORDER + "&order_id=other").status()).isEqualTo(400);
        assertThat(hook("secret=" + SECRET + "&status=paid&order_id=" + ORDER).status()).isEqualTo(400);
        assertThat(hook("secret=" + SECRET + "&status=2&order_id=a%2Fb").status()).isEqualTo(400);
        assertThat(hook("secret=wrong&status=2&order_id=" + ORDER).status()).isEqualTo(403);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_AUTH);
        assertThat(hook("status=2&order_id=" + ORDER).status()).isEqualTo(403);

        assertThat(told).isEmpty();
        assertThat(store.find(BlockonomicsCallbacks.ORDER_HOOK_SCOPE, ORDER)).isEmpty();
    }

    @Test
    void aListenerThatFailsIsAnswered500AndToldAgainOnTheRedelivery() {
        listenerFails.set(true);
        assertThat(hook("secret=" + SECRET + "&status=2&order_id=" + ORDER).status()).isEqualTo(500);
        listenerFails.set(false);
        assertThat(hook("secret=" + SECRET + "&status=2&order_id=" + ORDER).status()).isEqualTo(200);

        assertThat(told).extracting(OrderHookCallback::state).containsExactly(OrderHookState.PAID);
    }

    @Test
    void anUnknownStatusIsToldAsDataNeverAsPaid() {
        hook("secret=" + SECRET + "&status=7&order_id=" + ORDER);

        assertThat(told).singleElement().satisfies(callback -> {
            assertThat(callback.status()).isEqualTo(7);
            assertThat(callback.state()).isEqualTo(OrderHookState.UNKNOWN);
        });
    }

    @Test
    void theHookIsMountedOnlyWhenAskedForAndHasItsOwnUrl() {
        assertThat(blockonomics.endpoints()).extracting(endpoint -> endpoint.path())
                .containsExactly(BlockonomicsCallbacks.DEFAULT_ORDER_HOOK_PATH);
        assertThat(blockonomics.orderHookUrl("https://shop.example/callbacks"))
                .isEqualTo("https://shop.example/callbacks/blockonomics/order?secret=" + SECRET);

        BlockonomicsCallbacks paymentsOnly = BlockonomicsCallbacks.builder().secret(SECRET)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return Optional.empty();
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                    }
                }).build();
        assertThat(paymentsOnly.endpoints()).extracting(endpoint -> endpoint.path())
                .containsExactly(BlockonomicsCallbacks.DEFAULT_PATH);
        assertThatThrownBy(() -> paymentsOnly.orderHookUrl("https://shop.example/callbacks"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BlockonomicsCallbacks.builder().secret(SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("orderHooks");
    }
}
