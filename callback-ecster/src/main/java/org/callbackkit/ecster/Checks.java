package org.callbackkit.ecster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.callbackkit.core.CallbackJson;

/** The module's small shared rules: ids, printable text, strict JSON. */
final class Checks {

    /**
     * Core's strict, bounded mapper ({@link CallbackJson}): a duplicate key or trailing content is
     * an error, never a guess; decimals are exact {@code BigDecimal}s with trailing zeros kept, so
     * amounts never pass through a double; depth, string and number lengths are bounded.
     */
    static final ObjectMapper MAPPER = CallbackJson.strictMapper();

    /** Ecster's ids look like {@code eYBtAD0wTZIzDWkVpGhe}; anything that could leave a URL path segment is refused. */
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
}
