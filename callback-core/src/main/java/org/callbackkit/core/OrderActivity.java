package org.callbackkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing Callback Kit did for an order after its callback: a call to the provider's API, or a
 * run of a delayed action. The journal keeps them by order reference, so that "everything about
 * order 4711" shows them beside the order's callbacks ({@link OrderActivityRecorder}).
 *
 * <p>Holds no body, header or credential: an API call is its method and path template
 * ({@link ProviderApiCall#operation()}, without the query), a run its type and key.
 *
 * @param orderReference the order it was for: the Klarna or Ecster order id, the Avarda purchase id
 *     (for an action, its key up to the first {@code /})
 * @param at when the call was sent, or the run started
 * @param kind a call or a run
 * @param source the provider's name for a call, e.g. {@code klarna}; the action type for a run
 * @param subject what was done: {@code POST /ordermanagement/v1/orders/{id}/acknowledge} for a call,
 *     the action's key for a run
 * @param attempt the run's attempt, 1 for the first; 0 for a call
 * @param result a call's HTTP status ({@code 200}) or {@code failed} when no answer came; a run's
 *     {@code done}, {@code failed} (retried at {@link #nextAttempt}) or {@code dead}
 * @param error why it failed, at most {@value #MAX_ERROR_CHARS} characters (control characters as
 *     spaces); empty when it did not
 * @param duration how long the call or the run took
 * @param nextAttempt when a failed run is tried again; empty otherwise
 */
public record OrderActivity(String orderReference, Instant at, Kind kind, String source, String subject, int attempt,
        String result, String error, Duration duration, Optional<Instant> nextAttempt) {

    /** The longest {@link #error()} kept; a longer one is cut and ends in an ellipsis. */
    public static final int MAX_ERROR_CHARS = 500;

    /** What was done. */
    public enum Kind {
        /** A call to the provider's API. */
        API_CALL,
        /** A run of a delayed action. */
        ACTION_RUN
    }

    /** A run that ended {@link ActionRunResult#DONE done}, failed to be retried, or died. */
    public enum ActionRunResult {
        /** The work is done. */
        DONE,
        /** It failed and is tried again at {@link OrderActivity#nextAttempt()}. */
        FAILED,
        /** It failed for the last time, or gave up: kept as dead for an operator. */
        DEAD
    }

    /**
     * Checks the fields and cuts the error to {@value #MAX_ERROR_CHARS} characters.
     *
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if the reference, source, subject or result is blank, the
     *     attempt or duration negative
     */
    public OrderActivity {
        requireText(orderReference, "orderReference");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        requireText(source, "source");
        requireText(subject, "subject");
        requireText(result, "result");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        if (attempt < 0 || duration.isNegative()) {
            throw new IllegalArgumentException("attempt and duration must not be negative: " + attempt + ", " + duration);
        }
        error = error.replaceAll("\\p{Cntrl}", " ");
        if (error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS - 1) + "\u2026";
        }
    }

    /**
     * A call to the provider's API.
     *
     * @param operation the method and path template, as {@link ProviderApiCall#operation()}
     * @param status the HTTP status, or 0 when no answer came
     * @param failure why no answer came ({@code timed out after 10000 ms}); null or empty when one came
     * @param duration how long it took; negative (the clock was set back) counts as zero
     */
    public static OrderActivity apiCall(String orderReference, Instant at, String provider, String operation, int status,
            String failure, Duration duration) {
        return new OrderActivity(orderReference, at, Kind.API_CALL, provider, operation, 0,
                status == 0 ? "failed" : Integer.toString(status), failure == null ? "" : failure, atLeastZero(duration),
                Optional.empty());
    }

    /**
     * A run of a delayed action, for the order its key names (the key up to its first {@code /}).
     *
     * @param duration how long it took; negative (the clock was set back) counts as zero
     * @param nextAttempt when a {@link ActionRunResult#FAILED failed} run is tried again; null otherwise
     */
    public static OrderActivity actionRun(String type, String key, Instant started, int attempt, ActionRunResult result,
            String error, Duration duration, Instant nextAttempt) {
        return new OrderActivity(orderReferenceOf(key), started, Kind.ACTION_RUN, type, key, attempt,
                result.name().toLowerCase(java.util.Locale.ROOT), error == null ? "" : error, atLeastZero(duration),
                Optional.ofNullable(nextAttempt));
    }

    /** A duration measured on a clock that was set back meanwhile counts as zero. */
    private static Duration atLeastZero(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    /** The HTTP status of an API call that was answered; 0 for a call that was not, and for a run. */
    public int status() {
        return kind == Kind.API_CALL && !result.isEmpty() && result.chars().allMatch(Character::isDigit)
                ? Integer.parseInt(result) : 0;
    }

    /**
     * The order an action's key is about: the key up to its first {@code /} (Klarna's per-event
     * notification keys are {@code order/event}), or the whole key.
     */
    public static String orderReferenceOf(String key) {
        int slash = key.indexOf('/');
        return slash > 0 ? key.substring(0, slash) : key;
    }

    private static void requireText(String value, String name) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
