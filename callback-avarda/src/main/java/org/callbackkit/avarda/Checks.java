package org.callbackkit.avarda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;
import org.callbackkit.core.CallbackJson;

/** The module's small shared rules: ids, printable text, strict JSON, constant-time secrets. */
final class Checks {

    /**
     * Core's strict, bounded mapper ({@link CallbackJson}): a duplicate key or trailing content is
     * an error, never a guess; decimals are exact {@code BigDecimal}s with trailing zeros kept, so
     * amounts never pass through a double; depth, string and number lengths are bounded.
     */
    static final ObjectMapper MAPPER = CallbackJson.strictMapper();

    /** Avarda's purchase ids look like {@code 489ea341e23941089e6d0378c708512a}; anything that could leave a URL path segment is refused. */
    private static final Pattern ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._~-]{1,128}");

    private Checks() {
    }

    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** @throws IllegalArgumentException unless an id that is safe in a URL path segment */
    static String requireId(String value, String what) {
        if (!isId(value)) {
            throw new IllegalArgumentException(what + " must be 1-128 of A-Z, a-z, 0-9, '.', '_', '~', '-'");
        }
        return value;
    }

    /** At most 100 characters of {@code value}, control characters replaced: safe to log and journal. */
    static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** The text of {@code node.field}, or "" when absent, null or not text. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }

    /** SHA-256 of the UTF-8 bytes: compared with {@link #sameDigest}, the time taken depends on neither length. */
    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code given} hashes to {@code expectedDigest}, compared in constant time. */
    static boolean sameDigest(byte[] expectedDigest, String given) {
        return MessageDigest.isEqual(expectedDigest, sha256(given));
    }
}
