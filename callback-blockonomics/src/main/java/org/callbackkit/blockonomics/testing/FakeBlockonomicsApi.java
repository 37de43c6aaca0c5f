package org.callbackkit.blockonomics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import org.callbackkit.blockonomics.BlockonomicsApi;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FakeResponse;

/**
 * A scriptable Blockonomics API for tests, over a real socket on 127.0.0.1 ({@link #serve()}): it
 * answers {@code POST /api/monitor_tx} as Blockonomics does (the bearer API key checked; a JSON
 * body with {@code txhash}, {@code crypto} and {@code match_callback}; errors as
 * {@code {"message": ...}}), records what it was asked to monitor, and can fail on demand. Give
 * {@link #serve()}'s URI to {@link BlockonomicsApi#create(String, URI, java.time.Duration, java.time.Duration)}
 * to test the real client end to end. Thread-safe; {@link #close()} stops it.
 *
 * <pre>{@code
 * FakeBlockonomicsApi blockonomics = new FakeBlockonomicsApi("test-api-key");
 * BlockonomicsApi api = BlockonomicsApi.create("test-api-key", blockonomics.serve(), Duration.ofSeconds(2), Duration.ofSeconds(2));
 * api.monitorTransaction(Crypto.USDT, txhash, callbackUrl);
 * assertThat(blockonomics.monitored()).containsExactly(new FakeBlockonomicsApi.Monitored("USDT", txhash, callbackUrl));
 * }</pre>
 */
public final class FakeBlockonomicsApi extends FakeProviderApi<FakeBlockonomicsApi> {

    /**
     * One transaction Blockonomics was asked to monitor.
     *
     * @param crypto the {@code crypto} sent, e.g. {@code USDT}
     * @param txhash the transaction
     * @param matchCallback where its callbacks are to go
     */
    public record Monitored(String crypto, String txhash, String matchCallback) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MONITOR = "POST /api/monitor_tx";

    private final List<Monitored> monitored = new CopyOnWriteArrayList<>();

    /** A fake that accepts only {@code apiKey} (401 otherwise). */
    public FakeBlockonomicsApi(String apiKey) {
        super("fake Blockonomics API");
        Objects.requireNonNull(apiKey, "apiKey");
        answers().route(MONITOR, request -> monitor(request.body()))
                .authentication(request -> request.header("Authorization").equals("Bearer " + apiKey),
                        error(401, "Invalid API key"))
                .unrouted(request -> error(404, "Not found"))
                .injectedServerError(status -> error(status, "injected by the test"));
    }

    /** The next monitoring request answers {@code status} with {@code {"message": message}}. */
    public FakeBlockonomicsApi failNext(int status, String message) {
        server().enqueue(MONITOR, error(status, message));
        return this;
    }

    /** The transactions accepted for monitoring, in order; refused and scripted requests are not here. */
    public List<Monitored> monitored() {
        return List.copyOf(monitored);
    }

    /** The {@code Authorization} header of each request received over HTTP, in order. Test data only. */
    public List<String> authorizations() {
        return server().requests().stream().map(request -> request.header("Authorization")).toList();
    }

    private FakeResponse monitor(String body) {
        Monitored request = parse(body);
        if (request == null || request.txhash().isEmpty() || request.matchCallback().isEmpty()) {
            return error(400, "txhash, crypto and match_callback are required");
        }
        if (!request.crypto().equals(Crypto.USDT.name())) {
            return error(400, "Unsupported crypto " + request.crypto());
        }
        monitored.add(request);
        return FakeResponse.json(200, "{}");
    }

    private static Monitored parse(String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            return json == null || !json.isObject() ? null : new Monitored(json.path("crypto").asText(""),
                    json.path("txhash").asText(""), json.path("match_callback").asText(""));
        } catch (IOException e) {
            return null;
        }
    }

    private static FakeResponse error(int status, String message) {
        return FakeResponse.json(status, MAPPER.createObjectNode().put("message", message).toString());
    }
}
