package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackRequestTest {

    @Test
    void headersAreCaseInsensitiveAndKeepEveryValue() {
        CallbackHeaders headers = CallbackHeaders.of(Map.of("X-Trace", List.of("a", "b"), "content-TYPE", List.of("application/json")));

        assertThat(headers.first("x-trace")).contains("a");
        assertThat(headers.all("X-TRACE")).containsExactly("a", "b");
        assertThat(headers.first("Content-Type")).contains("application/json");
        assertThat(headers.contains("CONTENT-type")).isTrue();
        assertThat(headers.first("missing")).isEmpty();
        assertThat(headers.asMap().get("x-trace")).containsExactly("a", "b");
        assertThat(headers.with("x-TRACE", "c").all("X-Trace")).containsExactly("c");
    }

    @Test
    void bodyIsCopiedInAndOut() {
        byte[] body = {1, 2, 3};
        CallbackRequest request = CallbackRequest.builder().method("post").path("/x").body(body)
                .receivedAt(Instant.EPOCH).build();
        body[0] = 9;
        request.body()[1] = 9;

        assertThat(request.body()).containsExactly(1, 2, 3);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.bodyLength()).isEqualTo(3);
    }

    @Test
    void toStringLeavesOutHeadersAndQuery() {
        CallbackRequest request = CallbackRequest.builder().method("GET").path("/x").receivedAt(Instant.EPOCH)
                .addQueryParameter("secret", "s3cr3t").header("Authorization", "Bearer t0k3n").build();
        assertThat(request.toString()).doesNotContain("s3cr3t", "t0k3n");
    }

    @Test
    void contentTypeIsTheBareMediaType() {
        CallbackRequest request = CallbackRequest.builder().method("POST").path("/x").receivedAt(Instant.EPOCH)
                .header("Content-Type", " Application/JSON ; charset=UTF-8").build();
        assertThat(request.contentType()).contains("application/json");
    }

    @Test
    void requiresMethodPathAndArrivalTime() {
        assertThatThrownBy(() -> CallbackRequest.builder().path("/x").receivedAt(Instant.EPOCH).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackRequest.builder().method("GET").path("x").receivedAt(Instant.EPOCH).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackRequest.builder().method("GET").path("/x").build())
                .isInstanceOf(NullPointerException.class);
    }
}
