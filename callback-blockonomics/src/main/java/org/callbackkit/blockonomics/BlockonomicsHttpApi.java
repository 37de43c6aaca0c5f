package org.callbackkit.blockonomics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;

/** {@link BlockonomicsApi} over HTTPS, the API key as a bearer token that no message or log names. Thread-safe. */
final class BlockonomicsHttpApi implements BlockonomicsApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MONITOR = "api/monitor_tx";

    private final ProviderHttp http;
    private final String apiKey;

    BlockonomicsHttpApi(ProviderHttp http, String apiKey) {
        if (Objects.requireNonNull(apiKey, "apiKey").isBlank()) {
            throw new IllegalArgumentException("the API key is blank");
        }
        this.http = http;
        this.apiKey = apiKey;
    }

    @Override
    public void monitorTransaction(Crypto crypto, String txhash, String callbackUrl) {
        String body = monitorRequest(crypto, txhash, callbackUrl);
        HttpRequest request = http.request(MONITOR)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        http.sendForBody(request, "Blockonomics POST /" + MONITOR + " for tx " + txhash, txhash,
                error -> new ProviderHttp.Problem(null, null, UntrustedText.printable(CallbackJson.text(error, "message"))));
    }

    /**
     * The body of a monitoring request, checked as the API will check it.
     *
     * @throws IllegalArgumentException as {@link BlockonomicsApi#monitorTransaction} says
     */
    static String monitorRequest(Crypto crypto, String txhash, String callbackUrl) {
        if (Objects.requireNonNull(crypto, "crypto") != Crypto.USDT) {
            throw new IllegalArgumentException("Blockonomics monitors USDT transactions; " + crypto
                    + " payments are found by their address");
        }
        if (txhash == null || !BlockonomicsCallbackParser.isToken(txhash)) {
            throw new IllegalArgumentException("not a transaction id: " + UntrustedText.printable(String.valueOf(txhash)));
        }
        URI url = URI.create(Objects.requireNonNull(callbackUrl, "callbackUrl"));
        if (!url.isAbsolute() || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
            throw new IllegalArgumentException("the callback URL must be an absolute http(s) URL");
        }
        return MAPPER.createObjectNode().put("txhash", txhash).put("crypto", crypto.name())
                .put("match_callback", callbackUrl).toString();
    }
}
