package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.callbackkit.blockonomics.BlockonomicsApi;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsSecrets;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.InMemoryPaymentLedger;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.blockonomics.PaymentState;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.blockonomics.testing.FakeBlockonomicsApi;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.junit.jupiter.api.Test;

/** The Blockonomics snippets of docs/blockonomics.md, run. */
class BlockonomicsSnippetsTest {

    private static final String ADDRESS = BlockonomicsCallbackRequests.SAMPLE_BTC_ADDRESS;

    // tag::blockonomics-shop[]
    static class MyBlockonomicsShop implements BlockonomicsShop {
        final List<PaymentEvent> events = new ArrayList<>();

        @Override
        public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
            // the order you gave this address (USDT: this txid); empty for a payment no order expects
            return callback.address().equals(ADDRESS)
                    ? Optional.of(new ExpectedPayment("2001", Crypto.BTC, 100_000))   // satoshi
                    : Optional.empty();
        }

        @Override
        public void onPayment(PaymentEvent event) {
            events.add(event);   // DETECTED, PAID, OVERPAID, UNDERPAID, ...: keep it idempotent, keyed by txid
        }
    }
    // end::blockonomics-shop[]

    @Test
    void theBuilderCountsAConfirmedPaymentOnce() {
        StateStore stateStore = new InMemoryStateStore();
        MyBlockonomicsShop myBlockonomicsShop = new MyBlockonomicsShop();
        // tag::blockonomics-builder[]
        String secret = BlockonomicsSecrets.generate();              // 256 random bits; keep it in your config
        BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder()
                .secret(secret)                                      // .previousSecret(old) during a change-over
                .confirmationsRequired(2)                            // 0, 1 or 2
                .underpaymentSlackPercent(new BigDecimal("1"))
                .shop(myBlockonomicsShop)
                .stateStore(stateStore)                              // the counted payments: a durable store in production
                .build();
        var router = CallbackRouter.builder().endpoints(blockonomics.endpoints()).build();  // GET /blockonomics/payment
        String url = blockonomics.callbackUrl("https://shop.example/callbacks");  // register this in the dashboard
        // end::blockonomics-builder[]
        assertThat(url).startsWith("https://shop.example/callbacks/blockonomics/payment?secret=");
        var requests = new BlockonomicsCallbackRequests(secret);
        assertThat(router.dispatch(requests.confirmed(ADDRESS, 100_000, "txid-1")).status()).isEqualTo(200);
        assertThat(router.dispatch(requests.confirmed(ADDRESS, 100_000, "txid-1")).status()).isEqualTo(200);
        assertThat(myBlockonomicsShop.events).extracting(PaymentEvent::kind).containsExactly(PaymentEvent.Kind.PAID);
        assertThat(router.dispatch(new BlockonomicsCallbackRequests("wrong-secret-0123456789abcdef")
                .confirmed(ADDRESS, 100_000, "txid-2")).status()).isEqualTo(403);
    }

    @Test
    void usdtNeedsTheShopToRegisterItsTransaction() {
        String apiKey = "api-key";
        String txhash = "0x" + "ab".repeat(32);
        var blockonomics = BlockonomicsCallbacks.builder().secret(BlockonomicsSecrets.generate())
                .shop(new MyBlockonomicsShop()).build();
        try (var fake = new FakeBlockonomicsApi(apiKey)) {
            BlockonomicsApi api = BlockonomicsApi.create(apiKey, fake.serve(), Duration.ofSeconds(5), Duration.ofSeconds(8));
            // tag::blockonomics-monitor[]
            api.monitorTransaction(Crypto.USDT, txhash, blockonomics.callbackUrl("https://shop.example/callbacks"));
            // end::blockonomics-monitor[]
            assertThat(fake.monitored()).extracting(FakeBlockonomicsApi.Monitored::txhash).containsExactly(txhash);
        }
    }

    @Test
    void scriptRunVerify() {
        String secret = BlockonomicsSecrets.generate();
        MyBlockonomicsShop shop = new MyBlockonomicsShop();
        // tag::blockonomics-test[]
        var ledger = new InMemoryPaymentLedger();
        var blockonomics = BlockonomicsCallbacks.builder().secret(secret).shop(shop).ledger(ledger).build();
        var router = CallbackRouter.builder().endpoints(blockonomics.endpoints()).build();
        var requests = new BlockonomicsCallbackRequests(secret);

        router.dispatch(requests.unconfirmed(ADDRESS, 100_000, "txid-1"));   // 0 confirmations: detected
        router.dispatch(requests.confirmed(ADDRESS, 100_000, "txid-1"));     // 2: paid
        assertThat(ledger.find("2001").orElseThrow().state()).isEqualTo(PaymentState.PAID);
        // end::blockonomics-test[]
        assertThat(shop.events).extracting(PaymentEvent::kind)
                .containsExactly(PaymentEvent.Kind.DETECTED, PaymentEvent.Kind.PAID);
    }
}
