package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.callbackkit.blockonomics.PaymentEvent.Kind;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.junit.jupiter.api.Test;

class BlockonomicsCallbacksTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OLD_SECRET = "fedcba9876543210fedcba9876543210";
    private static final String ADDR = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    private static final String ADDR2 = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh";

    private final List<PaymentEvent> events = new CopyOnWriteArrayList<>();
    private final List<BlockonomicsCallback> tests = new CopyOnWriteArrayList<>();
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final InMemoryPaymentLedger ledger = new InMemoryPaymentLedger();
    private final BlockonomicsCallbackRequests requests = new BlockonomicsCallbackRequests(SECRET);
    private final AtomicBoolean listenerFails = new AtomicBoolean();

    private final Map<String, ExpectedPayment> orders = Map.of(
            ADDR, new ExpectedPayment("order-1", Crypto.BTC, 100_000),
            ADDR2, new ExpectedPayment("order-2", Crypto.BTC, 50_000),
            "usdt-tx-1", new ExpectedPayment("order-3", Crypto.USDT, 25_000_000));

    private BlockonomicsCallbacks.Builder module() {
        return BlockonomicsCallbacks.builder()
                .secret(SECRET)
                .previousSecret(OLD_SECRET)
                .ledger(ledger)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return Optional.ofNullable(orders.get(
                                callback.crypto() == Crypto.USDT ? callback.txid() : callback.address()));
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        if (listenerFails.get()) {
                            throw new IllegalStateException("shop database down");
                        }
                        events.add(event);
                    }

                    @Override
                    public void onTestCallback(BlockonomicsCallback callback) {
                        tests.add(callback);
                    }
                });
    }

    private CallbackRouter router(BlockonomicsCallbacks callbacks) {
        return CallbackRouter.builder().journal(journal).endpoints(callbacks.endpoints()).build();
    }

    private final CallbackRouter router = router(module().build());

    private CallbackResponse send(CallbackRequest request) {
        return router.dispatch(request);
    }

    private JournalEntry lastEntry() {
        return journal.find(JournalQuery.builder().limit(1).build()).get(0);
    }

    private List<Kind> kinds() {
        return events.stream().map(PaymentEvent::kind).toList();
    }

    @Test
    void aPaymentGoesFromDetectedToPaidAsConfirmationsArrive() {
        assertThat(send(requests.unconfirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);
        assertThat(send(requests.partiallyConfirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);
        assertThat(ledger.find("order-1").orElseThrow().state()).isEqualTo(PaymentState.AWAITING_CONFIRMATIONS);
        assertThat(send(requests.confirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);

        assertThat(kinds()).containsExactly(Kind.DETECTED, Kind.DETECTED, Kind.PAID);
        PaymentEvent paid = events.get(2);
        assertThat(paid.orderId()).isEqualTo("order-1");
        assertThat(paid.paidAmount()).isEqualTo(100_000);
        assertThat(paid.difference()).isZero();
        assertThat(paid.description()).contains("0.00100000 BTC");
        assertThat(ledger.find("order-1").orElseThrow().state()).isEqualTo(PaymentState.PAID);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(lastEntry().detail()).isEqualTo("order order-1: order paid");
        assertThat(lastEntry().orderReferences()).as("the shop's order, the address, the transaction")
                .containsExactly("order-1", ADDR, "tx1");
    }

    @Test
    void theSameCallbackManyTimesChangesNothingAfterTheFirst() {
        for (int i = 0; i < 5; i++) {
            assertThat(send(requests.confirmed(ADDR, 60_000, "tx1")).status()).isEqualTo(200);
        }
        assertThat(kinds()).containsExactly(Kind.UNDERPAID);
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isEqualTo(60_000);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.DUPLICATE).build())).hasSize(4);
    }

    @Test
    void statusesOnlyMoveForward() {
        send(requests.confirmed(ADDR, 100_000, "tx1"));
        events.clear();
        send(requests.unconfirmed(ADDR2, 50_000, "tx9"));
        send(requests.partiallyConfirmed(ADDR2, 50_000, "tx9"));
        send(requests.unconfirmed(ADDR2, 50_000, "tx9"));

        assertThat(kinds()).containsExactly(Kind.DETECTED, Kind.DETECTED);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(ledger.find("order-2").orElseThrow().transactions().values())
                .singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(1));
    }

    @Test
    void severalTransactionsToOneAddressAddUpEachCountedOnce() {
        send(requests.confirmed(ADDR, 30_000, "txA"));
        send(requests.confirmed(ADDR, 30_000, "txA"));
        send(requests.confirmed(ADDR, 30_000, "txB"));
        send(requests.confirmed(ADDR, 40_000, "txC"));

        assertThat(kinds()).containsExactly(Kind.UNDERPAID, Kind.UNDERPAID, Kind.PAID);
        assertThat(events.get(0).difference()).isEqualTo(70_000);
        assertThat(events.get(1).difference()).isEqualTo(40_000);
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isEqualTo(100_000);
    }

    @Test
    void overpaymentIsPaidWithTheExcess() {
        send(requests.confirmed(ADDR, 120_000, "tx1"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.OVERPAID);
            assertThat(e.difference()).isEqualTo(20_000);
        });
        assertThat(ledger.find("order-1").orElseThrow().state().settled()).isTrue();
    }

    @Test
    void underpaymentWithinTheSlackIsPaid() {
        CallbackRouter slack = router(module().underpaymentSlackPercent(new BigDecimal("1.5")).build());
        slack.dispatch(requests.confirmed(ADDR, 98_500, "tx1"));
        slack.dispatch(requests.confirmed(ADDR2, 49_000, "tx2")); // 2% short of 50,000

        assertThat(kinds()).containsExactly(Kind.PAID, Kind.UNDERPAID);
        assertThat(events.get(0).difference()).isEqualTo(1_500);
        assertThat(events.get(1).difference()).isEqualTo(1_000);
    }

    @Test
    void theConfirmationsThresholdIsConfigurable() {
        CallbackRouter zeroConf = router(module().confirmationsRequired(0).build());
        zeroConf.dispatch(requests.unconfirmed(ADDR, 100_000, "tx1"));
        assertThat(kinds()).containsExactly(Kind.PAID);

        events.clear();
        CallbackRouter oneConf = router(module().confirmationsRequired(1).ledger(new InMemoryPaymentLedger()).build());
        oneConf.dispatch(requests.unconfirmed(ADDR2, 50_000, "tx2"));
        oneConf.dispatch(requests.partiallyConfirmed(ADDR2, 50_000, "tx2"));
        assertThat(kinds()).containsExactly(Kind.DETECTED, Kind.PAID);

        assertThatThrownBy(() -> module().confirmationsRequired(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPaidOrderIgnoresLaterCallbacks() {
        send(requests.confirmed(ADDR, 100_000, "tx1"));
        send(requests.confirmed(ADDR, 5_000, "tx2"));

        assertThat(kinds()).containsExactly(Kind.PAID);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isEqualTo(100_000);
    }

    @Test
    void zeroConfirmationRbfIsIgnoredAsUnsafeUntilConfirmed() {
        CallbackRouter zeroConf = router(module().confirmationsRequired(0).build());
        zeroConf.dispatch(requests.unconfirmedRbf(ADDR, 100_000, "tx1"));
        assertThat(kinds()).containsExactly(Kind.IGNORED);
        assertThat(events.get(0).description()).contains("replace-by-fee");
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isZero();

        zeroConf.dispatch(requests.partiallyConfirmed(ADDR, 100_000, "tx1"));
        assertThat(kinds()).containsExactly(Kind.IGNORED, Kind.PAID);
    }

    @Test
    void aRevertedUsdtPaymentIsReportedAndNeverPaid() {
        send(requests.usdtReverted("0xmerchant", 25_000_000, "usdt-tx-1"));
        send(requests.usdtConfirmed("0xmerchant", 25_000_000, "usdt-tx-1"));

        assertThat(kinds()).containsExactly(Kind.REVERTED);
        assertThat(ledger.find("order-3").orElseThrow().paidAmount()).isZero();
        assertThat(ledger.find("order-3").orElseThrow().state().settled()).isFalse();
    }

    @Test
    void aUsdtPaymentRevertedAfterTheOrderWasPaidIsAnAlertAndNeverUnpaysIt() {
        send(requests.usdtConfirmed("0xmerchant", 25_000_000, "usdt-tx-1"));
        // the documented USDT shape: status=-1 after the final status 2
        CallbackResponse reversal = send(requests.callback(Map.of("status", "-1", "crypto", "USDT",
                "addr", "0xmerchant", "value", "25000000", "txid", "usdt-tx-1", "secret", SECRET)));
        String journaled = lastEntry().detail();
        send(requests.usdtConfirmed("0xmerchant", 25_000_000, "usdt-tx-1")); // redelivered: ignored

        assertThat(reversal.status()).isEqualTo(200);
        assertThat(kinds()).containsExactly(Kind.PAID, Kind.REVERSED_AFTER_PAID);
        PaymentEvent alert = events.get(1);
        assertThat(alert.paidAmount()).isZero();
        assertThat(alert.difference()).isEqualTo(25_000_000);
        assertThat(alert.description()).contains("usdt-tx-1", "of a paid order was reverted", "goods shipped");
        OrderPayments order = ledger.find("order-3").orElseThrow();
        assertThat(order.state()).isEqualTo(PaymentState.REVERSED_AFTER_PAID);
        assertThat(order.state().settled()).isTrue();
        assertThat(order.transactions().values()).singleElement()
                .satisfies(t -> assertThat(t.reverted()).isTrue());
        assertThat(journaled).contains("paid order's payment reverted");
    }

    @Test
    void aUsdtPaymentRevertedBeforeTheOrderWasPaidTakesThePaymentBack() {
        CallbackRouter zeroConf = router(module().confirmationsRequired(0).build());
        zeroConf.dispatch(requests.callback(Map.of("status", "0", "crypto", "USDT",
                "addr", "0xmerchant", "value", "10000000", "txid", "usdt-tx-1", "secret", SECRET)));
        zeroConf.dispatch(requests.usdtReverted("0xmerchant", 10_000_000, "usdt-tx-1"));

        assertThat(kinds()).containsExactly(Kind.UNDERPAID, Kind.REVERTED);
        assertThat(ledger.find("order-3").orElseThrow().state()).isEqualTo(PaymentState.OPEN);
    }

    @Test
    void anUnknownOrNegativeStatusIsNeverPaid() {
        send(requests.callback(Map.of("status", "-3", "addr", ADDR, "value", "100000", "txid", "tx1")));
        send(requests.callback(Map.of("status", "-1", "addr", ADDR, "value", "100000", "txid", "tx2"))); // BTC has no -1
        send(requests.callback(Map.of("status", "7", "addr", ADDR, "value", "100000", "txid", "tx3")));

        assertThat(kinds()).containsOnly(Kind.IGNORED).hasSize(3);
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isZero();
    }

    @Test
    void testCallbacksAreReportedAsTestsNeverAsPayments() {
        CallbackResponse response = send(requests.testCallback("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", 10_000));

        assertThat(response.status()).isEqualTo(200);
        assertThat(tests).singleElement().satisfies(t -> assertThat(t.isTest()).isTrue());
        assertThat(events).isEmpty();
        assertThat(lastEntry().detail()).contains("test callback");
    }

    @Test
    void oneTransactionPayingTwoAddressesIsTwoPayments() {
        send(requests.confirmed(ADDR, 100_000, "shared-tx"));
        send(requests.confirmed(ADDR2, 50_000, "shared-tx"));
        assertThat(events).extracting(PaymentEvent::orderId).containsExactly("order-1", "order-2");
    }

    @Test
    void aMissingOrWrongSecretIs403AndMaskedInTheJournal() {
        CallbackRequest confirmed = requests.confirmed(ADDR, 100_000, "tx1");
        Map<String, List<String>> withoutSecret = new java.util.LinkedHashMap<>(confirmed.query());
        withoutSecret.remove("secret");
        CallbackResponse missing = send(confirmed.toBuilder().query(withoutSecret).build());
        CallbackResponse empty = send(requests.callback(
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "secret", "")));
        CallbackResponse wrong = send(new BlockonomicsCallbackRequests("guessed-secret-0000000000").confirmed(ADDR, 100_000, "tx1"));

        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.bodyAsString()).isEqualTo("{\"error\":\"missing secret\"}");
        assertThat(empty.bodyAsString()).isEqualTo("{\"error\":\"missing secret\"}");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.bodyAsString()).isEqualTo("{\"error\":\"wrong secret\"}");
        assertThat(events).isEmpty();
        List<JournalEntry> rejected = journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_AUTH).build());
        assertThat(rejected).hasSize(3);
        assertThat(rejected.get(0).query().get("secret")).containsExactly("***");
        assertThat(rejected.toString()).doesNotContain("guessed-secret");
        assertThat(journal.find(JournalQuery.builder().orderReference(ADDR).build())).as("found by its address")
                .hasSize(3).allSatisfy(entry -> assertThat(entry.orderReferences()).containsExactly(ADDR, "tx1"));
    }

    @Test
    void thePreviousSecretIsAcceptedDuringAChangeOver() {
        assertThat(send(new BlockonomicsCallbackRequests(OLD_SECRET).confirmed(ADDR, 100_000, "tx1")).status())
                .isEqualTo(200);
        assertThat(send(new BlockonomicsCallbackRequests(SECRET).confirmed(ADDR2, 50_000, "tx2")).status())
                .isEqualTo(200);
        assertThat(kinds()).containsExactly(Kind.PAID, Kind.PAID);
    }

    @Test
    void malformedParametersAre400AndNeverReachTheListener() {
        List<Map<String, String>> bad = List.of(
                Map.of("status", "two", "addr", ADDR, "value", "100000", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "0.001", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "-5", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "1e5", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "12345678901234567", "txid", "tx1"),
                Map.of("status", "2", "value", "100000", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "100000"),
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "crypto", "DOGE"),
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "rbf", "maybe"),
                Map.of("status", "2", "addr", "<script>", "value", "100000", "txid", "tx1"),
                Map.of("status", "-", "addr", ADDR, "value", "100000", "txid", "tx1"),
                Map.of("status", "+2", "addr", ADDR, "value", "100000", "txid", "tx1"),
                Map.of("status", "1234", "addr", ADDR, "value", "100000", "txid", "tx1"),
                Map.of("status", "\u0662", "addr", ADDR, "value", "100000", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "1\u0660", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "t".repeat(201)),
                Map.of("status", "2", "addr", "bc1 q", "value", "100000", "txid", "tx1"),
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "rbf", "1234567890"));
        for (Map<String, String> params : bad) {
            CallbackResponse response = send(requests.callback(params));
            assertThat(response.status()).as(params.toString()).isEqualTo(400);
            assertThat(response.bodyAsString()).startsWith("{\"error\":");
        }
        CallbackRequest twice = requests.confirmed(ADDR, 100_000, "tx1").toBuilder().addQueryParameter("value", "1").build();
        assertThat(send(twice).status()).isEqualTo(400);

        assertThat(events).isEmpty();
        assertThat(ledger.find("order-1")).isEmpty();
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_INPUT).limit(50).build()))
                .hasSize(bad.size() + 1);
    }

    @Test
    void aPaymentToAnAddressNoOrderUsesIs200AndJournaledNoOrderNotAFailure() {
        // the documented shape; a personal payment to the merchant's wallet
        CallbackResponse response = send(requests.callback(Map.of("status", "2", "addr", "bc1qunknown",
                "value", "1000", "txid", "tx1", "secret", SECRET)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.NO_ORDER);
        assertThat(lastEntry().detail()).contains("no order for BTC address bc1qunknown");
        assertThat(lastEntry().orderReferences()).containsExactly("bc1qunknown", "tx1");
        assertThat(events).isEmpty();
        assertThat(ledger.find("bc1qunknown")).isEmpty();
    }

    @Test
    void aShopThatRefusesPaymentsWithoutOrderAnswers404SoBlockonomicsRetries() {
        CallbackRouter refusing = router(module().refusePaymentsWithoutOrder(true).build());
        CallbackResponse response = refusing.dispatch(requests.confirmed("bc1qunknown", 1_000, "tx1"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"no order for this payment\"}");
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.NO_ORDER);
        assertThat(events).isEmpty();
    }

    @Test
    void aListenerFailureIs500AndTheRetryCountsThePayment() {
        listenerFails.set(true);
        assertThat(send(requests.confirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(500);
        assertThat(ledger.find("order-1").map(OrderPayments::paidAmount).orElse(0L)).isZero();

        listenerFails.set(false);
        assertThat(send(requests.confirmed(ADDR, 100_000, "tx1")).status()).isEqualTo(200);
        assertThat(kinds()).containsExactly(Kind.PAID);
    }

    @Test
    void aConcurrentBurstOfDuplicatesIsCountedOnce() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < threads * 10; i++) {
                statuses.add(pool.submit(() -> {
                    go.await();
                    return send(requests.confirmed(ADDR, 100_000, "tx1")).status();
                }));
            }
            go.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(kinds()).containsExactly(Kind.PAID);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.DUPLICATE).limit(1000).build()))
                .hasSize(threads * 10 - 1);
    }

    @Test
    void buildsTheCallbackUrlToRegister() {
        BlockonomicsCallbacks callbacks = module().build();
        assertThat(callbacks.callbackUrl("https://shop.example/callbacks/"))
                .isEqualTo("https://shop.example/callbacks/blockonomics/payment?secret=" + SECRET);
    }

    @Test
    void generatedSecretsHave256RandomBits() {
        String a = BlockonomicsSecrets.generate();
        String b = BlockonomicsSecrets.generate();
        assertThat(a).matches("[0-9a-f]{64}").isNotEqualTo(b);
    }

    @Test
    void aShortSecretTheMerchantAlreadyRegisteredStillAuthenticates() {
        CallbackRouter registered = router(module().secret("s3cret").build()); // registered long before this library
        CallbackResponse paid = registered.dispatch(requests.callback(
                Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "secret", "s3cret")));
        CallbackResponse guessed = registered.dispatch(requests.callback(
                Map.of("status", "2", "addr", ADDR2, "value", "50000", "txid", "tx2", "secret", "s3cre")));

        assertThat(paid.status()).isEqualTo(200);
        assertThat(guessed.status()).isEqualTo(403);
        assertThat(kinds()).containsExactly(Kind.PAID);
    }

    @Test
    void aSecretsStrengthIsEstimatedFromItsAlphabetToWarnBelow128Bits() {
        assertThat(BlockonomicsSecrets.estimatedBits(SECRET)).isEqualTo(128);                 // 32 hex, as md5 gives
        assertThat(BlockonomicsSecrets.estimatedBits(BlockonomicsSecrets.generate())).isEqualTo(256);
        assertThat(BlockonomicsSecrets.estimatedBits("0123456789abcdef0123456789abcde")).isEqualTo(124);
        assertThat(BlockonomicsSecrets.estimatedBits("12345678")).isEqualTo(26);               // digits
        assertThat(BlockonomicsSecrets.estimatedBits("s3cret")).isEqualTo(31);                 // lower case and digits
        assertThat(BlockonomicsSecrets.estimatedBits("S3cretPassw0rdForBlockonomicsX")).isEqualTo(178); // 30 alphanumerics
        assertThat(BlockonomicsSecrets.estimatedBits("s3cret!")).isEqualTo(45);                // printable ASCII
        assertThat(BlockonomicsSecrets.estimatedBits("sécret")).isEqualTo(48);                 // anything else
        assertThat(BlockonomicsSecrets.estimatedBits("s3cret")).isLessThan(BlockonomicsSecrets.RECOMMENDED_BITS);
    }

    @Test
    void builderRefusesWeakOrMissingSettings() {
        assertThatThrownBy(() -> BlockonomicsCallbacks.builder().secret(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the secret is blank");
        assertThatThrownBy(() -> BlockonomicsCallbacks.builder().secret(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BlockonomicsCallbacks.builder().secret(SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shop");
        assertThatThrownBy(() -> module().previousSecret(SECRET).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> module().underpaymentSlackPercent(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBchCallbackWithoutTheCryptoParameterPaysABchOrder() {
        Map<String, ExpectedPayment> bch = Map.of("qqr0bch", new ExpectedPayment("order-bch", Crypto.BCH, 70_000));
        CallbackRouter bchRouter = router(module().shop(new BlockonomicsShop() {
            @Override
            public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                return Optional.ofNullable(bch.get(callback.address()));
            }

            @Override
            public void onPayment(PaymentEvent event) {
                events.add(event);
            }
        }).build());
        bchRouter.dispatch(requests.confirmed("qqr0bch", 70_000, "bch-tx"));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.PAID);
            assertThat(e.callback().crypto()).isEqualTo(Crypto.BCH);
        });
        assertThat(ledger.find("order-bch").orElseThrow().transactions())
                .containsKey(new TransactionKey(Crypto.BCH, "bch-tx", "qqr0bch"));
    }

    @Test
    void theCryptoParameterIsReadInAnyCase() {
        send(requests.callback(Map.of("status", "2", "addr", ADDR, "value", "100000", "txid", "tx1", "crypto", "btc")));
        send(requests.callback(Map.of("status", "2", "addr", "0xmerchant", "value", "25000000", "txid", "usdt-tx-1",
                "crypto", "usdt")));
        assertThat(events).extracting(PaymentEvent::orderId).containsExactly("order-1", "order-3");
        assertThat(kinds()).containsExactly(Kind.PAID, Kind.PAID);
    }

    @Test
    void testnetAndStoreTestModePaymentsAreTestsNotPayments() {
        // the shape of the USDT example in Blockonomics' docs, written out: it carries testnet=1
        send(requests.withQuery("status=2&addr=0xmerchant&value=25000000&txid=usdt-tx-1&crypto=USDT&testnet=1&secret="
                + SECRET));
        send(requests.callback(Map.of("status", "2", "addr", "0xTestUSDTAddress42", "value", "1", "txid",
                "TestUSDTTxid_25000000_ab12", "crypto", "USDT")));
        send(requests.confirmed("1TestBTCAddressXYZ", 100_000, "tx-test"));

        assertThat(tests).hasSize(3);
        assertThat(events).isEmpty();
        assertThat(ledger.find("order-3")).isEmpty();
    }

    @Test
    void aShortSecretTheMerchantRegisteredIsAcceptedWithAWarningThatNeverShowsIt() {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            module().secret("shortsecret42").build();
        } finally {
            System.setErr(stderr);
        }
        String log = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("below the recommended 128").doesNotContain("shortsecret42");
    }

    @Test
    void rbfIsAnyNonZeroIntegerAndOnlyMattersUnconfirmed() {
        CallbackRouter zeroConf = router(module().confirmationsRequired(0).build());
        zeroConf.dispatch(requests.callback(Map.of("status", "0", "addr", ADDR, "value", "100000", "txid", "tx1",
                "rbf", "2")));
        zeroConf.dispatch(requests.callback(Map.of("status", "1", "addr", ADDR2, "value", "50000", "txid", "tx2",
                "rbf", "1")));
        assertThat(kinds()).containsExactly(Kind.IGNORED, Kind.PAID);
    }

    @Test
    void anIgnoredCallbackDeliveredAgainIsADuplicate() {
        CallbackRequest unknownStatus = requests.callback(Map.of("status", "-3", "addr", ADDR, "value", "100000",
                "txid", "tx1"));
        send(unknownStatus);
        send(unknownStatus);

        assertThat(kinds()).containsExactly(Kind.IGNORED);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.DUPLICATE);
    }

    @Test
    void concurrentDistinctPaymentsToOneOrderAllCount() throws Exception {
        int payments = 50;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < payments; i++) {
                String txid = "part-" + i;
                for (int copy = 0; copy < 3; copy++) {
                    statuses.add(pool.submit(() -> {
                        go.await();
                        return send(requests.confirmed(ADDR, 1_000, txid)).status();
                    }));
                }
            }
            go.countDown();
            for (Future<Integer> status : statuses) {
                assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.find("order-1").orElseThrow().paidAmount()).isEqualTo(payments * 1_000L);
        assertThat(events).hasSize(payments);
    }
}
