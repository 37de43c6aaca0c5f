package org.callbackkit.core.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.callbackkit.core.InvalidCallbackException;

/**
 * Strict, bounded JSON for callback bodies: what every provider module parses a request with.
 *
 * <p>A callback body comes from the open internet, so the parser is told exactly how much it
 * may take, instead of relying on Jackson's generous defaults:
 * <ul>
 *   <li>nesting at most {@value #MAX_NESTING_DEPTH} levels (a provider's deepest body, a Klarna
 *       order, has about five);</li>
 *   <li>a string at most {@value #MAX_STRING_LENGTH} characters, a field name at most
 *       {@value #MAX_NAME_LENGTH}, a number at most {@value #MAX_NUMBER_LENGTH} digits;</li>
 *   <li>a duplicate field name, or anything after the one JSON value, is an error, never a
 *       guess at which copy was meant;</li>
 *   <li>the bytes must be UTF-8 (RFC 8259): invalid sequences are refused, not replaced, and
 *       UTF-16 or UTF-32 bodies are not auto-detected.</li>
 * </ul>
 * Floating-point numbers are read as {@link java.math.BigDecimal} with trailing zeros kept, so
 * an amount never passes through a {@code double}.
 */
public final class CallbackJson {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** The longest string value accepted, in characters. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;
    /** The longest field name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 256;
    /** The most digits a number may have. */
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final JsonMapper MAPPER = strictMapper();

    private CallbackJson() {
    }

    /**
     * A new mapper with the limits and strictness above, for a module that parses more than
     * request bodies with them (a provider's API answers, its own payloads). A module may
     * {@link JsonMapper#rebuild() rebuild} it to add features, never to loosen the limits.
     */
    public static JsonMapper strictMapper() {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build();
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(limits)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * The request's body as one JSON object.
     *
     * @throws InvalidCallbackException (answered 400 by the router) with a short reason when the
     *     body is empty, not UTF-8, not JSON, not an object, or over one of the limits above
     */
    public static ObjectNode readObject(CallbackRequest request) {
        JsonNode node = readTree(request);
        if (!node.isObject()) {
            throw new InvalidCallbackException("body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * The request's body as one JSON value of any kind.
     *
     * @throws InvalidCallbackException as {@link #readObject(CallbackRequest)}, but any value is accepted
     */
    public static JsonNode readTree(CallbackRequest request) {
        return parse(utf8(request.body()));
    }

    /** The text of {@code node.field}, or "" when it is absent, null or not text. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    /**
     * Parses a provider API's answer as one JSON object, with the same limits as a callback's body:
     * what every provider module's order or payment parser starts with.
     *
     * @param what names the answer in the message, e.g. {@code "Ecster order"}
     * @throws IllegalArgumentException naming {@code what} and why, if the text is empty, not JSON,
     *     over one of the limits, or JSON but not an object
     */
    public static ObjectNode parseObject(String json, String what) {
        JsonNode node;
        try {
            node = parse(json);
        } catch (InvalidCallbackException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + ": not a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Parses text that came from outside (a provider's API answer, say) with the same limits.
     *
     * @throws InvalidCallbackException as {@link #readTree(CallbackRequest)}
     */
    public static JsonNode parse(String json) {
        if (json.isBlank()) {
            throw new InvalidCallbackException("body is empty");
        }
        try {
            return MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new InvalidCallbackException("body is over a JSON limit: " + limitBroken(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.startsWith("Duplicate field")) {
                throw new InvalidCallbackException("body has a duplicate field");
            }
            if (message.contains("Trailing token")) {
                throw new InvalidCallbackException("body has content after the JSON value");
            }
            throw new InvalidCallbackException("body is not valid JSON");
        } catch (NumberFormatException e) {
            // a decimal no BigDecimal can hold, such as 1e99999999999999, is not a JsonProcessingException
            throw new InvalidCallbackException("body has a number out of range");
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Strict UTF-8: malformed input is an error rather than U+FFFD. */
    private static String utf8(byte[] body) {
        if (isAscii(body)) { // the common case is UTF-8 as it is: a copy, without the strict decoder's buffers
            return new String(body, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidCallbackException("body is not valid UTF-8");
        }
    }

    /** Jackson names the limit in its own words; ours are shorter and name no class. */
    private static String limitBroken(String message) {
        String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (lower.contains("nesting depth")) {
            return "nested deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (lower.contains("name length")) {
            return "a field name longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (lower.contains("string value length")) {
            return "a string longer than " + MAX_STRING_LENGTH + " characters";
        }
        if (lower.contains("number value length")) {
            return "a number longer than " + MAX_NUMBER_LENGTH + " digits";
        }
        return "too large";
    }
}
