package org.callbackkit.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * Request builders for tests, pre-filled the way an adapter would fill them: arrival time from a
 * clock (or a fixed instant) and a loopback remote address. Provider modules add builders that
 * produce exactly what their provider sends.
 */
public final class CallbackRequests {

    private static final Instant FIXED = Instant.parse("2026-01-01T00:00:00Z");

    private CallbackRequests() {
    }

    /** A POST to {@code path}, received at the fixed test instant. */
    public static CallbackRequest.Builder post(String path) {
        return request("POST", path, FIXED);
    }

    /** A GET to {@code path}, received at the fixed test instant. */
    public static CallbackRequest.Builder get(String path) {
        return request("GET", path, FIXED);
    }

    /** A request received now by {@code clock}. */
    public static CallbackRequest.Builder request(String method, String path, Clock clock) {
        return request(method, path, clock.instant());
    }

    /** A request received at {@code receivedAt}. */
    public static CallbackRequest.Builder request(String method, String path, Instant receivedAt) {
        return CallbackRequest.builder().method(method).path(path).remoteAddress("127.0.0.1").receivedAt(receivedAt);
    }

    /** A POST of {@code json} with {@code Content-Type: application/json}, received at the fixed test instant. */
    public static CallbackRequest.Builder postJson(String path, String json) {
        return post(path).header("Content-Type", "application/json").body(json.getBytes(StandardCharsets.UTF_8));
    }
}
