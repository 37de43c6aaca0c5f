package org.callbackkit.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import org.callbackkit.core.schedule.DelayedAction;

/**
 * What a pending action's row holds in db-scheduler's {@code task_data} column, as JSON: the
 * action (its {@code runAt} is the row's {@code execution_time}), how many runs were made, the
 * last error, and the follow-up scheduled while it ran, if any.
 *
 * @param type the action type
 * @param key the action key
 * @param payload the JSON payload, kept as text so the handler gets it exactly as scheduled
 * @param attempts runs made so far
 * @param lastError why the last run failed; null before the first failure
 * @param followUp news that arrived while it ran, to run after it; null if none
 */
record ActionData(String type, String key, String payload, int attempts, String lastError, FollowUp followUp) {

    /**
     * An action scheduled while one of the same type and key was running.
     *
     * @param payload its payload
     * @param runAt when it asked to run
     */
    record FollowUp(String payload, Instant runAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    ActionData {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
    }

    /** A new action, not yet run. */
    static ActionData of(DelayedAction action) {
        return new ActionData(action.type(), action.key(), action.payload(), 0, null, null);
    }

    /** The action as scheduled, due at {@code runAt}. */
    DelayedAction action(Instant runAt) {
        return new DelayedAction(type, key, payload, runAt);
    }

    /** The same action after {@code attempts} runs, the last one failing with {@code error}. */
    ActionData failed(int attempts, String error) {
        return new ActionData(type, key, payload, attempts, error, followUp);
    }

    /** The same action with {@code followUp} queued after it. */
    ActionData withFollowUp(DelayedAction followUp) {
        return new ActionData(type, key, payload, attempts, lastError, new FollowUp(followUp.payload(), followUp.runAt()));
    }

    /** The follow-up as an action of its own, not yet run, keeping {@code lastError} for the operator. */
    ActionData promoteFollowUp(String lastError) {
        return new ActionData(type, key, followUp.payload(), 0, lastError, null);
    }

    byte[] toJson() {
        ObjectNode json = JSON.createObjectNode()
                .put("type", type)
                .put("key", key)
                .put("payload", payload)
                .put("attempts", attempts);
        if (lastError != null) {
            json.put("lastError", lastError);
        }
        if (followUp != null) {
            json.putObject("followUp").put("payload", followUp.payload()).put("runAt", followUp.runAt().toString());
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ActionData fromJson(byte[] bytes) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable task_data of a delayed action", e);
        }
        JsonNode followUp = json.path("followUp");
        return new ActionData(
                json.path("type").textValue(),
                json.path("key").textValue(),
                json.path("payload").textValue(),
                json.path("attempts").asInt(),
                json.path("lastError").textValue(),
                followUp.isObject()
                        ? new FollowUp(followUp.path("payload").textValue(), Instant.parse(followUp.path("runAt").textValue()))
                        : null);
    }

    /** db-scheduler's view of {@code task_data}: our JSON for actions, nothing for the journal's cleaner. */
    static final class TaskDataSerializer implements Serializer {

        @Override
        public byte[] serialize(Object data) {
            if (data == null) {
                return null;
            }
            if (data instanceof ActionData action) {
                return action.toJson();
            }
            throw new IllegalArgumentException("no task data of type " + data.getClass().getName() + " is kept");
        }

        @Override
        public <T> T deserialize(Class<T> type, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (type == ActionData.class) {
                return type.cast(fromJson(bytes));
            }
            throw new IllegalArgumentException("no task data of type " + type.getName() + " is kept");
        }
    }
}
