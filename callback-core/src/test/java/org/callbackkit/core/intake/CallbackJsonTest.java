package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.testing.CallbackRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackJsonTest {

    @Test
    void readsAnObjectWithExactDecimals() {
        var node = CallbackJson.readObject(body("{\"orderId\":\"a1\",\"amount\":10.50}"));

        assertThat(node.get("orderId").asText()).isEqualTo("a1");
        assertThat(node.get("amount").decimalValue()).isEqualTo(new BigDecimal("10.50"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty|''|body is empty",
            "truncated|'{\"orderId\":\"a'|body is not valid JSON",
            "an array|'[1,2]'|body must be a JSON object",
            "duplicate key|'{\"orderId\":\"a\",\"orderId\":\"b\"}'|body has a duplicate field",
            "trailing content|'{\"orderId\":\"a\"} {}'|body has content after the JSON value",
            "an exponent no decimal can hold|'{\"time\":1e99999999999999}'|body has a number out of range",
    })
    void refusesWhatIsNotOneObject(String what, String json, String reason) {
        assertThatThrownBy(() -> CallbackJson.readObject(body(json)))
                .isInstanceOf(InvalidCallbackException.class).hasMessage(reason);
    }

    /** A plain ASCII body is copied to text, any other strictly decoded: what a body gets is what its text gets. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank|'   '|body is empty",
            "truncated|'{\"a\":\"x'|body is not valid JSON",
            "a control character in a string|'{\"a\":\"x" + "\u0001" + "\"}'|body is not valid JSON",
            "duplicate key|'{\"a\":1,\"a\":2}'|body has a duplicate field",
            "trailing content|'{\"a\":1} {}'|body has content after the JSON value",
            "a huge exponent|'{\"a\":1e99999999999999}'|body has a number out of range",
            "fine|'{\"a\":[1, 2.50, \"x\"]}'|",
    })
    void readsPlainAsciiBytesAsItReadsText(String what, String json, String reason) {
        if (reason == null) {
            assertThat(CallbackJson.readTree(body(json))).isEqualTo(CallbackJson.parse(json));
            return;
        }
        assertThatThrownBy(() -> CallbackJson.readTree(body(json))).hasMessage(reason);
        assertThatThrownBy(() -> CallbackJson.parse(json)).hasMessage(reason);
    }

    /** A provider's answer: an object, or an IllegalArgumentException naming the answer and the reason. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty|''|Ecster order: body is empty",
            "truncated|'{\"id\":\"a'|Ecster order: body is not valid JSON",
            "a number no decimal can hold|'{\"amount\":1e99999999999999}'|Ecster order: body has a number out of range",
            "an array|'[1]'|Ecster order: not a JSON object",
            "a string|'\"x\"'|Ecster order: not a JSON object"})
    void refusesAProviderAnswerThatIsNotOneObject(String what, String json, String reason) {
        assertThatThrownBy(() -> CallbackJson.parseObject(json, "Ecster order"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void readsAProviderAnswerAsAnObject() {
        assertThat(CallbackJson.parseObject("{\"id\":\"a\",\"amount\":100}", "Ecster order").path("amount").asLong())
                .isEqualTo(100);
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        int depth = CallbackJson.MAX_NESTING_DEPTH;
        String within = "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        String over = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThat(CallbackJson.readObject(body(within)).has("a")).isTrue();
        assertThatThrownBy(() -> CallbackJson.readObject(body(over)))
                .hasMessage("body is over a JSON limit: nested deeper than 32 levels");
    }

    @Test
    void refusesHugeStringsNamesAndNumbers() {
        String string = "{\"a\":\"" + "x".repeat(CallbackJson.MAX_STRING_LENGTH + 1) + "\"}";
        String name = "{\"" + "n".repeat(CallbackJson.MAX_NAME_LENGTH + 1) + "\":1}";
        String number = "{\"a\":" + "9".repeat(1000) + "}";
        String decimal = "{\"a\":0." + "1".repeat(CallbackJson.MAX_NUMBER_LENGTH + 1) + "}";

        assertThatThrownBy(() -> CallbackJson.readObject(body(string)))
                .hasMessage("body is over a JSON limit: a string longer than 65536 characters");
        assertThatThrownBy(() -> CallbackJson.readObject(body(name)))
                .hasMessage("body is over a JSON limit: a field name longer than 256 characters");
        assertThatThrownBy(() -> CallbackJson.readObject(body(number)))
                .hasMessage("body is over a JSON limit: a number longer than 64 digits");
        assertThatThrownBy(() -> CallbackJson.readObject(body(decimal)))
                .hasMessage("body is over a JSON limit: a number longer than 64 digits");
        assertThat(CallbackJson.readObject(body("{\"a\":\"" + "x".repeat(CallbackJson.MAX_STRING_LENGTH) + "\"}"))
                .get("a").asText()).hasSize(CallbackJson.MAX_STRING_LENGTH);
    }

    @Test
    void refusesInvalidUtf8InsteadOfReplacingIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"orderId\":\"a".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // a lead byte followed by '(' is no character
        bytes.writeBytes("(\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CallbackJson.readObject(CallbackRequests.post("/x").body(bytes.toByteArray()).build()))
                .hasMessage("body is not valid UTF-8");
        assertThat(CallbackJson.readObject(body("{\"name\":\"Åsa Öberg\"}")).get("name").asText()).isEqualTo("Åsa Öberg");
    }

    @Test
    void refusesUtf16InsteadOfDetectingIt() {
        byte[] utf16 = "{\"orderId\":\"a\"}".getBytes(StandardCharsets.UTF_16LE);

        assertThatThrownBy(() -> CallbackJson.readObject(CallbackRequests.post("/x").body(utf16).build()))
                .isInstanceOf(InvalidCallbackException.class);
    }

    @Test
    void aRebuiltMapperKeepsTheLimits() {
        var mapper = CallbackJson.strictMapper().rebuild().build();

        assertThatThrownBy(() -> mapper.readTree("[".repeat(100) + "]".repeat(100)))
                .hasMessageContaining("nesting depth");
    }

    private static CallbackRequest body(String json) {
        return CallbackRequests.postJson("/x", json).build();
    }
}
