package org.callbackkit.blockonomics;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.callbackkit.core.OrderActivityRecorder;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderApiListener;
import org.callbackkit.core.ProviderHttp;

/**
 * The part of Blockonomics' API a shop calls: register a USDT transaction for monitoring, so that
 * Blockonomics sends its payment callbacks. BTC and BCH need no such call (Blockonomics watches the
 * order's address); a USDT payment is found by its transaction, which the shopper's wallet reports
 * to the shop, and Blockonomics sends nothing for it until the shop registers it, as
 * Blockonomics' WooCommerce plugin does. Implementations are thread-safe; tests use the loopback
 * {@code FakeBlockonomicsApi}.
 *
 * <pre>{@code
 * BlockonomicsApi api = BlockonomicsApi.create(apiKeyFromConfig);
 * api.monitorTransaction(Crypto.USDT, txhash, blockonomics.callbackUrl("https://shop.example/callbacks"));
 * }</pre>
 */
public interface BlockonomicsApi {

    /** Where Blockonomics' API answers. */
    URI BASE_URI = URI.create("https://www.blockonomics.co/");
    /** How long a connection may take to open, unless told otherwise. */
    Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a whole answer may take, unless told otherwise: 8 s, as the plugin waits. */
    Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(8);

    /**
     * The API at {@link #BASE_URI}, authenticated with the merchant's API key (sent as
     * {@code Authorization: Bearer}, never logged).
     *
     * @throws IllegalArgumentException if the key is blank
     */
    static BlockonomicsApi create(String apiKey) {
        return create(apiKey, BASE_URI, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * The API at {@code baseUri} (a fake's in tests), with these timeouts.
     *
     * @throws IllegalArgumentException if the key is blank, the base URI is not an absolute http(s)
     *     URI ending in {@code /}, or a timeout is not positive
     */
    static BlockonomicsApi create(String apiKey, URI baseUri, Duration connectTimeout, Duration readTimeout) {
        return create(apiKey, baseUri, connectTimeout, readTimeout, null);
    }

    /**
     * The API at {@code baseUri}, with these timeouts, telling {@code listener} of every call (its
     * operation is {@code POST /api/monitor_tx}; the txhash is never part of it), e.g. for metrics.
     *
     * @param listener told of every call, or null for none
     * @throws IllegalArgumentException if the key is blank, the base URI is not an absolute http(s)
     *     URI ending in {@code /}, or a timeout is not positive
     */
    static BlockonomicsApi create(String apiKey, URI baseUri, Duration connectTimeout, Duration readTimeout,
            ProviderApiListener listener) {
        return create(apiKey, baseUri, connectTimeout, readTimeout, listener, null, Clock.systemUTC());
    }

    /**
     * As {@link #create(String, URI, Duration, Duration, ProviderApiListener)}, and recording every
     * call in {@code journal} under its transaction id, which Blockonomics' callbacks carry as an
     * order reference: the journal page's view of that txid shows the registration, its status or
     * failure and its latency (never the key, the body or the callback URL's secret).
     *
     * @param listener told of every call, or null for none
     * @param journal records every call, or null for none; usually the router's {@code CallbackJournal}
     * @param clock stamps the calls recorded
     * @throws IllegalArgumentException if the key is blank, the base URI is not an absolute http(s)
     *     URI ending in {@code /}, or a timeout is not positive
     */
    static BlockonomicsApi create(String apiKey, URI baseUri, Duration connectTimeout, Duration readTimeout,
            ProviderApiListener listener, OrderActivityRecorder journal, Clock clock) {
        return new BlockonomicsHttpApi(new ProviderHttp(BlockonomicsCallbacks.PROVIDER, baseUri, connectTimeout,
                readTimeout, listener, journal, clock), apiKey);
    }

    /**
     * Asks Blockonomics to watch a token transaction and send its payment callbacks to
     * {@code callbackUrl}: {@code POST {base}/api/monitor_tx} with
     * {@code {"txhash": ..., "crypto": "USDT", "match_callback": callbackUrl}}. Call it when the
     * shopper's wallet reports the transaction, after the shop has recorded the txid on its order
     * (so that the first callback finds it). Safe to repeat.
     *
     * @param callbackUrl the module's {@link BlockonomicsCallbacks#callbackUrl callback URL}, secret included
     * @throws IllegalArgumentException if {@code crypto} is not a token Blockonomics monitors (USDT),
     *     the txhash is not a transaction id, or the URL is not an absolute http(s) URL
     * @throws ProviderApiException if Blockonomics refuses or cannot be reached
     *     ({@link ProviderApiException#retryable()} says whether to try again); its message carries
     *     Blockonomics' own {@code message}
     */
    void monitorTransaction(Crypto crypto, String txhash, String callbackUrl);
}
