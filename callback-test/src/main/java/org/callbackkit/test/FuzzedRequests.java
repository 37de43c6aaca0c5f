package org.callbackkit.test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;

/**
 * Hostile variants of a provider's callback made from a fuzzer's input, and how the provider's
 * API fails and when the delayed work runs, for the Jazzer fuzz tests of provider modules (with
 * {@link DispatchInvariants} as their oracle). Needs {@code com.code-intelligence:jazzer-junit}
 * on the test class path.
 *
 * <p>The input layout, which seed files follow: every choice is one byte (two for a length over
 * 255) read from the end of the input; texts and bodies are read from its front; both in the
 * order the fuzz test asks. An exhausted input reads as zeros, and choice 0 is always what the
 * provider really sends, so the shortest inputs are plausible callbacks.
 */
public final class FuzzedRequests {

    /** The longest body made, in bytes: larger than any callback, smaller than the router's limit. */
    public static final int MAX_BODY_BYTES = 8192;

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "HEAD");
    private static final int[] API_FAILURES = {500, 503, 429, 408, 404, 401, 400};
    private static final Duration[] DELAYS = {Duration.ofSeconds(120), Duration.ZERO, Duration.ofMinutes(30),
        Duration.ofHours(3)};

    private final FuzzedDataProvider data;

    /** Variants made from {@code data}. */
    public FuzzedRequests(FuzzedDataProvider data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The fuzzer's input, for a test's own choices. */
    public FuzzedDataProvider data() {
        return data;
    }

    /** A length from 0 to {@code maxBytes}, then that many bytes, decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text(int maxBytes) {
        return new String(data.consumeBytes(data.consumeInt(0, maxBytes)), StandardCharsets.UTF_8);
    }

    /** A body of up to {@value #MAX_BODY_BYTES} raw bytes. */
    public byte[] body() {
        return data.consumeBytes(data.consumeInt(0, MAX_BODY_BYTES));
    }

    /** 0: {@code path}; 1: {@code path} with a fuzzed segment after it; 2: {@code /} and fuzzed text. */
    public String path(String path) {
        return switch (data.consumeInt(0, 2)) {
            case 0 -> path;
            case 1 -> path + "/" + text(64);
            default -> "/" + text(64);
        };
    }

    /**
     * A request to {@code path}, received now by {@code clock}: 0 with {@code method}, else with
     * GET, POST, PUT or HEAD.
     */
    public CallbackRequest.Builder request(String method, String path, Clock clock) {
        String chosen = data.consumeBoolean() ? data.pickValue(METHODS) : method;
        return CallbackRequests.request(chosen, path, clock);
    }

    /**
     * The header agreed with the provider: 0 {@code value}; 1 missing; 2 fuzzed; 3 {@code value}
     * twice; 4 {@code value} under the lower-case name.
     */
    public CallbackRequest.Builder sharedHeader(CallbackRequest.Builder request, String name, String value) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> request.header(name, value);
            case 1 -> request;
            case 2 -> request.header(name, text(128));
            case 3 -> request.headers(CallbackHeaders.of(Map.of(name, List.of(value, value))));
            default -> request.header(name.toLowerCase(Locale.ROOT), value);
        };
    }

    /**
     * The {@code Content-Type}: 0 {@code expected}; 1 with a charset; 2 in upper case; 3
     * {@code text/plain}; 4 none; 5 fuzzed.
     */
    public CallbackRequest.Builder contentType(CallbackRequest.Builder request, String expected) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> request.header("Content-Type", expected);
            case 1 -> request.header("Content-Type", expected + "; charset=utf-8");
            case 2 -> request.header("Content-Type", expected.toUpperCase(Locale.ROOT));
            case 3 -> request.header("Content-Type", "text/plain");
            case 4 -> request;
            default -> request.header("Content-Type", text(64));
        };
    }

    /** An HTTP status a provider's API fails with: 500, 503, 429, 408, 404, 401 or 400. */
    public int apiFailure() {
        return data.pickValue(API_FAILURES);
    }

    /**
     * Runs the delayed work as a host's scheduler would: once after a fuzzed wait (0 the
     * providers' usual 120 s; 1 none; 2 half an hour; 3 three hours), then once more 49 hours
     * later, past every provider's retry window.
     */
    public void runDelayedWork(ManualDelayedActionScheduler scheduler) {
        scheduler.tick(data.pickValue(DELAYS));
        scheduler.tick(Duration.ofHours(49));
    }
}
