package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.blockonomics.testing.FakeBlockonomicsApi;
import org.callbackkit.blockonomics.testing.FakeBlockonomicsApi.Monitored;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real client of {@code /api/monitor_tx} against the loopback fake, over a socket. */
class BlockonomicsApiTest {

    private static final String API_KEY = "aBcD1234eFgH5678iJkL9012mNoP3456qRsT7890uVw";
    private static final String SECRET = "q8V3m1x7Hk2Zr9Tn4Lp6Wc0Yb5Ds8Fg1";
    private static final String TXHASH = "0x5a2c7d3e9b1f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a4c";
    private static final String WALLET = "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE";

    private final FakeBlockonomicsApi fake = new FakeBlockonomicsApi(API_KEY);
    private final URI base = fake.serve();
    private final BlockonomicsApi api = BlockonomicsApi.create(API_KEY, base, Duration.ofSeconds(2), Duration.ofSeconds(2));

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aUsdtTransactionIsRegisteredAsThePluginDoesAndItsCallbackThenPaysTheOrder() {
        List<PaymentEvent> events = new CopyOnWriteArrayList<>();
        BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder().secret(SECRET)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return callback.txid().equals(TXHASH)
                                ? Optional.of(new ExpectedPayment("order-7", Crypto.USDT, 25_000_000))
                                : Optional.empty();
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        events.add(event);
                    }
                }).build();
        String callbackUrl = blockonomics.callbackUrl("https://shop.example/callbacks");

        api.monitorTransaction(Crypto.USDT, TXHASH, callbackUrl);

        assertThat(fake.monitored()).containsExactly(new Monitored("USDT", TXHASH, callbackUrl));
        assertThat(fake.authorizations()).containsExactly("Bearer " + API_KEY);
        // then Blockonomics calls back, in the documented USDT shape, written out here
        CallbackRouter router = CallbackRouter.builder().endpoints(blockonomics.endpoints()).build();
        int status = router.dispatch(new BlockonomicsCallbackRequests(SECRET).withQuery("status=2&addr=" + WALLET
                + "&value=25000000&txid=" + TXHASH + "&crypto=USDT&secret=" + SECRET)).status();
        assertThat(status).isEqualTo(200);
        assertThat(events).extracting(PaymentEvent::kind).containsExactly(PaymentEvent.Kind.PAID);
    }

    @Test
    void everyRegistrationIsJournaledUnderItsTransactionWithoutTheKeyOrTheCallbackUrl() {
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        MutableClock clock = MutableClock.atFixedStart();
        BlockonomicsApi journaled = BlockonomicsApi.create(API_KEY, base, Duration.ofSeconds(2), Duration.ofSeconds(2),
                null, journal, clock);
        String callbackUrl = "https://shop.example/callbacks/blockonomics/payment?secret=" + SECRET;

        journaled.monitorTransaction(Crypto.USDT, TXHASH, callbackUrl);
        fake.failNext(500, "try later");
        assertThatThrownBy(() -> journaled.monitorTransaction(Crypto.USDT, TXHASH, callbackUrl))
                .isInstanceOf(ProviderApiException.class);

        assertThat(journal.findActivity(TXHASH, 10)).hasSize(2).allSatisfy(call -> {
            assertThat(call.kind()).isEqualTo(OrderActivity.Kind.API_CALL);
            assertThat(call.source()).isEqualTo("blockonomics");
            assertThat(call.subject()).isEqualTo("POST /api/monitor_tx");
            assertThat(call.at()).isEqualTo(clock.instant());
            assertThat(call.toString()).doesNotContain(API_KEY, SECRET, "shop.example");
        }).extracting(OrderActivity::result).containsExactlyInAnyOrder("200", "500");
    }

    @Test
    void aRefusedKeyIsNotRetryableAndNeverInTheMessage() {
        BlockonomicsApi wrongKey = BlockonomicsApi.create("not-the-key", base, Duration.ofSeconds(2), Duration.ofSeconds(2));

        ProviderApiException refused = catchThrowableOfType(ProviderApiException.class,
                () -> wrongKey.monitorTransaction(Crypto.USDT, TXHASH, "https://shop.example/cb?secret=" + SECRET));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("/api/monitor_tx", "Invalid API key").doesNotContain("not-the-key")
                .doesNotContain(SECRET);
        assertThat(fake.monitored()).isEmpty();
    }

    @Test
    void blockonomicsOwnMessageIsCarriedAndServerErrorsAreRetryable() {
        fake.failNext(500, "Temporary failure").failNext(400, "Transaction already monitored");

        ProviderApiException serverError = catchThrowableOfType(ProviderApiException.class,
                () -> api.monitorTransaction(Crypto.USDT, TXHASH, "https://shop.example/cb"));
        ProviderApiException badRequest = catchThrowableOfType(ProviderApiException.class,
                () -> api.monitorTransaction(Crypto.USDT, TXHASH, "https://shop.example/cb"));

        assertThat(serverError.retryable()).isTrue();
        assertThat(serverError.getMessage()).contains("500", "Temporary failure");
        assertThat(badRequest.retryable()).isFalse();
        assertThat(badRequest.getMessage()).contains("400", "Transaction already monitored");
    }

    @Test
    void whatTheApiWouldRefuseNeverReachesTheNetwork() {
        assertThatThrownBy(() -> api.monitorTransaction(Crypto.BTC, TXHASH, "https://shop.example/cb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found by their address");
        assertThatThrownBy(() -> api.monitorTransaction(Crypto.USDT, "0x12&crypto=BTC", "https://shop.example/cb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a transaction id");
        assertThatThrownBy(() -> api.monitorTransaction(Crypto.USDT, TXHASH, "/callbacks"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> BlockonomicsApi.create(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.authorizations()).isEmpty();
    }
}
