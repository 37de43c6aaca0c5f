package org.callbackkit.blockonomics;

import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.test.RequestShapes;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockonomicsCallbackRequests} sends what Blockonomics' "HTTP Callback" and "Monitor USDT
 * Transaction" documentation shows, written out here as it appears on the wire.
 */
class BlockonomicsRequestsMatchTheDocsTest {

    private static final String SECRET = "q8V3m1x7Hk2Zr9Tn4Lp6Wc0Yb5Ds8Fg1";
    private static final String ADDR = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    private static final String TXID = "2e5d2ba2ba1df2d5e4c5e4ab9b6d8f4c2a4e6d8b0f2a4c6e8d0b2f4a6c8e0d2b";
    private final BlockonomicsCallbackRequests requests = new BlockonomicsCallbackRequests(SECRET);

    private static void assertDocumented(org.callbackkit.core.intake.CallbackRequest built, String rawQuery) {
        RequestShapes.assertSameShape(built, CallbackRequests.get("/blockonomics/payment").rawQuery(rawQuery).build());
    }

    @Test
    void bitcoinPaymentsAtEachStatus() {
        assertDocumented(requests.unconfirmed(ADDR, 10_000, TXID),
                "status=0&addr=" + ADDR + "&value=10000&txid=" + TXID + "&secret=" + SECRET);
        assertDocumented(requests.partiallyConfirmed(ADDR, 10_000, TXID),
                "status=1&addr=" + ADDR + "&value=10000&txid=" + TXID + "&secret=" + SECRET);
        assertDocumented(requests.confirmed(ADDR, 10_000, TXID),
                "status=2&addr=" + ADDR + "&value=10000&txid=" + TXID + "&secret=" + SECRET);
        assertDocumented(requests.unconfirmedRbf(ADDR, 10_000, TXID),
                "status=0&addr=" + ADDR + "&value=10000&txid=" + TXID + "&rbf=1&secret=" + SECRET);
        assertDocumented(requests.testCallback(ADDR, 10_000), "status=2&addr=" + ADDR + "&value=10000&txid="
                + BlockonomicsCallback.TEST_TXID + "&secret=" + SECRET);
    }

    @Test
    void usdtPayments() {
        String wallet = "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE";
        String tx = "0x5a2c7d3e9b1f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a4c";
        assertDocumented(requests.usdtConfirmed(wallet, 25_000_000, tx), "status=2&addr=" + wallet
                + "&value=25000000&txid=" + tx + "&crypto=USDT&testnet=0&secret=" + SECRET);
        assertDocumented(requests.usdtReverted(wallet, 25_000_000, tx), "status=-1&addr=" + wallet
                + "&value=25000000&txid=" + tx + "&crypto=USDT&testnet=0&secret=" + SECRET);
    }

    @Test
    void theOrderHook() {
        // "Order Callback": <Order Hook URL>?status=2&order_id=2b0c7e2cd523458098b2, the merchant's secret in the URL
        RequestShapes.assertSameShape(requests.orderHook("2b0c7e2cd523458098b2", 2), CallbackRequests
                .get("/blockonomics/order").rawQuery("secret=" + SECRET + "&status=2&order_id=2b0c7e2cd523458098b2").build());
    }

    @Test
    void theSamplesAreABitcoinAndAUsdtPaymentAndAnOrder() {
        var samples = requests.samples(BlockonomicsCallbacks.KIND);
        assertDocumented(samples.get("btc"), "status=2&addr=" + BlockonomicsCallbackRequests.SAMPLE_BTC_ADDRESS
                + "&value=10000&txid=2e5d2ba2ba1df2d5e4c5e4ab9b6d8f4c2a4e6d8b0f2a4c6e8d0b2f4a6c8e0d2b&secret=" + SECRET);
        assertDocumented(samples.get("usdt"), "status=2&addr=0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE&value=25000000"
                + "&txid=0x5a2c7d3e9b1f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a4c&crypto=USDT&testnet=0&secret=" + SECRET);
        RequestShapes.assertSameShape(requests.samples(BlockonomicsCallbacks.ORDER_HOOK_KIND).get("order"), CallbackRequests
                .get("/blockonomics/order").rawQuery("status=2&order_id=2b0c7e2cd523458098b2&secret=" + SECRET).build());
        // curl's headers, as Blockonomics calls with curl
        RequestShapes.assertSameShape(samples.get("btc"), CallbackRequests.get("/blockonomics/payment")
                .query(samples.get("btc").query()).header("User-Agent", "curl/8.5.0").header("Accept", "*/*").build());
    }
}
