package org.callbackkit.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.function.Supplier;

/** Small JSON helpers for core's own bodies; no shared mutable state. */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

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

    /**
     * Checks that {@code text} is exactly one JSON value; {@code what} names it in the message and
     * is only called when it is not. The empty object, the payload of most delayed actions, is
     * recognised without a parser.
     *
     * @throws IllegalArgumentException if it is not
     */
    static void requireDocument(String text, Supplier<String> what) {
        if (text.equals("{}")) {
            return;
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(what.get() + " is not JSON: empty");
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new IllegalArgumentException(what.get() + " is not one JSON value: trailing " + trailing);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what.get() + " is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }
}
