package org.callbackkit.core.schedule;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * Work to do later: of a {@code type} (which handler runs it), for a {@code key} (e.g. the
 * provider's order id; one pending action per type and key), with a JSON {@code payload}, not
 * before {@code runAt}.
 *
 * @param type the action type a handler was registered for, e.g. {@code klarna.push}
 * @param key what the action is about; scheduling the same type and key while one is pending is a no-op
 * @param payload one JSON value, so that a durable store can hold it
 * @param runAt the earliest time to run it
 */
public record DelayedAction(String type, String key, String payload, Instant runAt) {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * @throws IllegalArgumentException if type or key is blank or the payload is not one JSON value
     * @throws NullPointerException if payload or runAt is null
     */
    public DelayedAction {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        Objects.requireNonNull(payload, "payload");
        requireDocument(payload, type, key);
        Objects.requireNonNull(runAt, "runAt");
    }

    /** The same action, to run at {@code runAt}. */
    public DelayedAction withRunAt(Instant runAt) {
        return new DelayedAction(type, key, payload, runAt);
    }

    /** Payloads are left out: they may carry personal data. */
    @Override
    public String toString() {
        return "DelayedAction[" + type + " " + key + " at " + runAt + "]";
    }

    /**
     * Checks that {@code text} is exactly one JSON value; the message names the action's type and
     * key. The empty object, the payload of most delayed actions, is
     * recognised without a parser.
     *
     * @throws IllegalArgumentException if it is not
     */
    private static void requireDocument(String text, String type, String key) {
        if (text.equals("{}")) {
            return;
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(what(type, key) + " is not JSON: empty");
            }
            parser.skipChildren();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new IllegalArgumentException(what(type, key) + " is not one JSON value: trailing " + trailing);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what(type, key) + " is not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static String what(String type, String key) {
        return "payload of " + type + " " + key;
    }
}
