package org.callbackkit.blockonomics;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.DispatchInvariants;
import org.callbackkit.test.FuzzedRequests;

/**
 * Fuzzes the Blockonomics payment callback end to end: the module built through its builder
 * (confirmations and underpayment slack chosen by the fuzzer) on an {@link InMemoryPaymentLedger}
 * and three orders (BTC, BCH, USDT), mounted on a real {@link CallbackRouter}, fed one to six
 * GET requests in a row, so that statuses, duplicates and several payments of one order meet.
 * Each query parameter ({@code secret}, {@code status}, {@code addr}, {@code value},
 * {@code txid}, {@code crypto}, {@code rbf}, {@code testnet}) is a value Blockonomics sends,
 * missing, fuzzed, or given twice, and a fuzzed parameter may be added; method and path come
 * from {@link FuzzedRequests}.
 *
 * <p>Invariants, on every input: {@link DispatchInvariants} for every dispatch (never throws,
 * never 5xx, one journal entry with the status and {@code secret} masked, a rejection has a short
 * JSON {@code error} body and leaves the listener and the ledger untouched); and an order is
 * reported paid only when its counted payments cover the expected amount less the slack.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs in {@code BlockonomicsFuzzTestInputs/payment}
 * (seeds and past findings, in {@link FuzzedRequests}'s layout) as plain tests.
 */
class BlockonomicsFuzzTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OLD_SECRET = "fedcba9876543210fedcba9876543210";
    private static final String BTC = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    private static final String BCH = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a";
    private static final String USDT = "0x52908400098527886e0f7030069857d2e4169ee7";
    private static final String USDT_TX = "0x9f3b2c1d";
    private static final Map<String, ExpectedPayment> ORDERS = Map.of(
            BTC, new ExpectedPayment("order-1", Crypto.BTC, 100_000),
            BCH, new ExpectedPayment("order-2", Crypto.BCH, 50_000),
            USDT_TX, new ExpectedPayment("order-3", Crypto.USDT, 25_000_000));
    private static final int[] CONFIRMATIONS = {2, 1, 0};
    private static final BigDecimal[] SLACKS = {BigDecimal.ZERO, BigDecimal.ONE, new BigDecimal("99.5")};

    /** The query parameters in the order asked, each with values Blockonomics sends; null: left out. */
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("secret", SECRET, OLD_SECRET, SECRET + "0", ""),
            new Parameter("status", "2", "0", "1", "-1", "3", "02"),
            new Parameter("addr", BTC, BCH, USDT, "1TestBTCAddress1"),
            new Parameter("value", "100000", "50000", "25000000", "0", "99000", "9999999999999999"),
            new Parameter("txid", "tx-1", "tx-2", USDT_TX, BlockonomicsCallback.TEST_TXID),
            new Parameter("crypto", null, "BTC", "BCH", "USDT", "usdt", "ETH"),
            new Parameter("rbf", null, "0", "1", "true"),
            new Parameter("testnet", null, "0", "1"));

    private record Parameter(String name, String... values) {

        /** 0: one of the values (the first when the input ends); 1: none; 2: fuzzed; 3: two of the values. */
        void addTo(CallbackRequest.Builder request, FuzzedRequests fuzz) {
            FuzzedDataProvider data = fuzz.data();
            switch (data.consumeInt(0, 3)) {
                case 0 -> add(request, data.pickValue(values));
                case 1 -> { }
                case 2 -> request.addQueryParameter(name, fuzz.text(80));
                default -> {
                    add(request, data.pickValue(values));
                    add(request, data.pickValue(values));
                }
            }
        }

        private void add(CallbackRequest.Builder request, String value) {
            if (value != null) {
                request.addQueryParameter(name, value);
            }
        }
    }

    @FuzzTest
    @DictionaryEntries({"secret", "status", "addr", "value", "txid", "crypto", "rbf", "testnet", "USDT", "BCH",
        BlockonomicsCallback.TEST_TXID})
    void payment(FuzzedDataProvider data) {
        FuzzedRequests fuzz = new FuzzedRequests(data);
        MutableClock clock = MutableClock.atFixedStart();
        List<PaymentEvent> events = new CopyOnWriteArrayList<>();
        List<BlockonomicsCallback> tests = new CopyOnWriteArrayList<>();
        InMemoryPaymentLedger ledger = new InMemoryPaymentLedger();
        int confirmations = data.pickValue(CONFIRMATIONS);
        BigDecimal slack = data.pickValue(SLACKS);
        BlockonomicsCallbacks callbacks = BlockonomicsCallbacks.builder()
                .secret(SECRET)
                .previousSecret(OLD_SECRET)
                .confirmationsRequired(confirmations)
                .underpaymentSlackPercent(slack)
                .ledger(ledger)
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        return Optional.ofNullable(
                                ORDERS.get(callback.crypto() == Crypto.USDT ? callback.txid() : callback.address()));
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        events.add(event);
                    }

                    @Override
                    public void onTestCallback(BlockonomicsCallback callback) {
                        tests.add(callback);
                    }
                })
                .build();
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
        CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock)
                .endpoints(callbacks.endpoints()).build();
        DispatchInvariants invariants = DispatchInvariants.builder(router, journal)
                .untouchedWhenRejected("payment events", events::size)
                .untouchedWhenRejected("test callbacks", tests::size)
                .untouchedWhenRejected("ledger", () -> ORDERS.values().stream()
                        .map(order -> ledger.find(order.orderId())).toList())
                .masked("secret")
                .build();

        int requests = data.consumeInt(1, 6);
        for (int i = 0; i < requests; i++) {
            CallbackRequest.Builder request = fuzz.request("GET", fuzz.path(BlockonomicsCallbacks.DEFAULT_PATH), clock);
            PARAMETERS.forEach(parameter -> parameter.addTo(request, fuzz));
            if (data.consumeBoolean()) {
                request.addQueryParameter(fuzz.text(32), fuzz.text(80));
            }
            invariants.dispatch(request.build());
        }

        for (PaymentEvent event : events) {
            BigDecimal least = BigDecimal.valueOf(event.expectedAmount()).multiply(BigDecimal.valueOf(100).subtract(slack));
            boolean covered = BigDecimal.valueOf(event.paidAmount()).multiply(BigDecimal.valueOf(100)).compareTo(least) >= 0;
            if ((event.kind() == PaymentEvent.Kind.PAID || event.kind() == PaymentEvent.Kind.OVERPAID) && !covered) {
                throw new AssertionError("reported " + event.kind() + " with " + event.paidAmount() + " of "
                        + event.expectedAmount() + " paid, slack " + slack + "%: " + event);
            }
        }
    }
}
