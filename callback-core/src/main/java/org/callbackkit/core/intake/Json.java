package org.callbackkit.core.intake;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Small JSON helpers for the router's own answer bodies; no shared mutable state. */
final class Json {

    private Json() {
    }

    /** {@code "value"} with JSON escaping. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        return out.append('"').toString();
    }

    /** {@code {"error":"reason"}}. */
    static String error(String reason) {
        return "{\"error\":" + quote(reason) + "}";
    }
}
