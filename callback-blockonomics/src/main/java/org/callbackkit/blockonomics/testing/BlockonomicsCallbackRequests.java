package org.callbackkit.blockonomics.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * Builds exactly the GET requests Blockonomics sends, for tests: route them through a
 * {@code CallbackRouter} with {@code dispatch}, or send {@link CallbackRequest#pathAndQuery} over HTTP.
 * Blockonomics calls with curl (its help article on intermediate certificates says so), so each
 * request carries curl's {@code User-Agent} form and {@code Accept: *}{@code /*}.
 */
public final class BlockonomicsCallbackRequests {

    /** curl's default {@code User-Agent} form, as Blockonomics' callbacks carry it; the exact version is not documented. */
    public static final String USER_AGENT = "curl/8.5.0";
    /** A BTC address of the samples (bech32). */
    public static final String SAMPLE_BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    /** A USDT (ERC-20) address of the samples: {@code 0x} and 40 hex digits, as WAF rules on hex encoding meet it. */
    public static final String SAMPLE_USDT_ADDRESS = "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE";
    private static final String SAMPLE_BTC_TXID = "2e5d2ba2ba1df2d5e4c5e4ab9b6d8f4c2a4e6d8b0f2a4c6e8d0b2f4a6c8e0d2b";
    private static final String SAMPLE_USDT_TXID = "0x5a2c7d3e9b1f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a4c";

    private final String path;
    private final String secret;
    private Instant receivedAt = Instant.parse("2026-01-01T00:00:00Z");

    /** Requests to {@link BlockonomicsCallbacks#DEFAULT_PATH} carrying {@code secret}. */
    public BlockonomicsCallbackRequests(String secret) {
        this(BlockonomicsCallbacks.DEFAULT_PATH, secret);
    }

    /** Requests to {@code path} carrying {@code secret}. */
    public BlockonomicsCallbackRequests(String path, String secret) {
        this.path = Objects.requireNonNull(path, "path");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    /** Stamps the requests built from now on as received at {@code receivedAt}. */
    public BlockonomicsCallbackRequests receivedAt(Instant receivedAt) {
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        return this;
    }

    /** A BTC payment seen in the mempool: {@code status=0}. */
    public CallbackRequest unconfirmed(String address, long satoshi, String txid) {
        return callback(params(0, address, satoshi, txid));
    }

    /** A BTC payment with one confirmation: {@code status=1}. */
    public CallbackRequest partiallyConfirmed(String address, long satoshi, String txid) {
        return callback(params(1, address, satoshi, txid));
    }

    /** A BTC payment with two or more confirmations: {@code status=2}. */
    public CallbackRequest confirmed(String address, long satoshi, String txid) {
        return callback(params(2, address, satoshi, txid));
    }

    /** An unconfirmed BTC payment that signals replace-by-fee: {@code status=0&rbf=1}. */
    public CallbackRequest unconfirmedRbf(String address, long satoshi, String txid) {
        Map<String, String> params = params(0, address, satoshi, txid);
        params.put("rbf", "1");
        return callback(params);
    }

    /** A confirmed USDT payment ({@code crypto=USDT}), amount in 10^-6 USDT. */
    public CallbackRequest usdtConfirmed(String address, long microUsdt, String txid) {
        Map<String, String> params = params(2, address, microUsdt, txid);
        params.put("crypto", "USDT");
        params.put("testnet", "0");
        return callback(params);
    }

    /** A reverted USDT payment: {@code crypto=USDT&status=-1}. */
    public CallbackRequest usdtReverted(String address, long microUsdt, String txid) {
        Map<String, String> params = params(-1, address, microUsdt, txid);
        params.put("crypto", "USDT");
        params.put("testnet", "0");
        return callback(params);
    }

    /** The test callback the dashboard generates, with its tell-tale txid. */
    public CallbackRequest testCallback(String address, long satoshi) {
        return callback(params(2, address, satoshi, BlockonomicsCallback.TEST_TXID));
    }

    /**
     * An Order Hook callback, as Blockonomics sends it for payment buttons and hosted checkouts:
     * {@code GET} {@link BlockonomicsCallbacks#DEFAULT_ORDER_HOOK_PATH}{@code ?status=2&order_id=...&secret=...}.
     */
    public CallbackRequest orderHook(String orderId, int status) {
        CallbackRequest.Builder builder = request().path(BlockonomicsCallbacks.DEFAULT_ORDER_HOOK_PATH);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("status", Integer.toString(status));
        params.put("order_id", orderId);
        params.put("secret", secret);
        params.forEach(builder::addQueryParameter);
        return builder.build();
    }

    /** A request with exactly these query parameters, the secret added unless given. */
    public CallbackRequest callback(Map<String, String> parameters) {
        CallbackRequest.Builder builder = request();
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.putIfAbsent("secret", secret);
        all.forEach(builder::addQueryParameter);
        return builder.build();
    }

    /**
     * Realistic requests of {@code kind}, by the builders above so they cannot drift from them: for
     * {@link BlockonomicsCallbacks#KIND} a confirmed BTC payment ({@code "btc"}) and a confirmed
     * USDT payment with {@code 0x} hex address and txid ({@code "usdt"}); for
     * {@link BlockonomicsCallbacks#ORDER_HOOK_KIND} a confirmed order ({@code "order"}). The
     * callback doctor probes a shop with exactly these.
     *
     * @return the samples by name, in order; empty for a kind the module does not know
     */
    public Map<String, CallbackRequest> samples(String kind) {
        Map<String, CallbackRequest> samples = new LinkedHashMap<>();
        switch (Objects.requireNonNull(kind, "kind")) {
            case BlockonomicsCallbacks.KIND -> {
                samples.put("btc", confirmed(SAMPLE_BTC_ADDRESS, 10_000, SAMPLE_BTC_TXID));
                samples.put("usdt", usdtConfirmed(SAMPLE_USDT_ADDRESS, 25_000_000, SAMPLE_USDT_TXID));
            }
            case BlockonomicsCallbacks.ORDER_HOOK_KIND -> samples.put("order", orderHook("2b0c7e2cd523458098b2", 2));
            default -> { }
        }
        return samples;
    }

    /**
     * A request with exactly this percent-encoded query, secret and all, as written in
     * Blockonomics' documentation: {@code status=2&addr=...&value=...&txid=...&secret=...}.
     *
     * @throws IllegalArgumentException if the query is malformed
     */
    public CallbackRequest withQuery(String rawQuery) {
        return request().rawQuery(rawQuery).build();
    }

    private CallbackRequest.Builder request() {
        return CallbackRequest.builder().method("GET").path(path).remoteAddress("44.241.250.59").receivedAt(receivedAt)
                .header("User-Agent", USER_AGENT).header("Accept", "*/*");
    }

    private static Map<String, String> params(int status, String address, long value, String txid) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("status", Integer.toString(status));
        params.put("addr", address);
        params.put("value", Long.toString(value));
        params.put("txid", txid);
        return params;
    }
}
