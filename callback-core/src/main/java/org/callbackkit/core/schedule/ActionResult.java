package org.callbackkit.core.schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one run of a delayed action ended: {@link #done()}, {@link #retryAfter(Duration, String)}
 * (not yet possible, e.g. the shop order does not exist yet), or {@link #giveUp(String)} (never
 * possible). A handler that throws is retried after the scheduler's backoff instead.
 */
public final class ActionResult {

    /** The three endings. */
    public enum Kind {
        /** The work is done. */
        DONE,
        /** Run again later; counts as an attempt. */
        RETRY,
        /** Never retry; kept as dead. */
        GIVE_UP
    }

    private static final ActionResult DONE = new ActionResult(Kind.DONE, null, "");

    private final Kind kind;
    private final Duration delay;
    private final String reason;

    private ActionResult(Kind kind, Duration delay, String reason) {
        this.kind = kind;
        this.delay = delay;
        this.reason = reason;
    }

    /** The work is done; the action is forgotten. */
    public static ActionResult done() {
        return DONE;
    }

    /**
     * Run again after {@code delay}; counts as an attempt, so the action ends dead with
     * {@code reason} once the retry schedule's attempts are used up.
     *
     * @throws IllegalArgumentException if delay is negative or reason blank
     */
    public static ActionResult retryAfter(Duration delay, String reason) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new ActionResult(Kind.RETRY, delay, requireReason(reason));
    }

    /**
     * Never retry: the action is kept as dead with {@code reason} for an operator to read.
     *
     * @throws IllegalArgumentException if reason is blank
     */
    public static ActionResult giveUp(String reason) {
        return new ActionResult(Kind.GIVE_UP, null, requireReason(reason));
    }

    /** How the run ended. */
    public Kind kind() {
        return kind;
    }

    /** The delay asked for by {@link #retryAfter(Duration, String)}. */
    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }

    /** Why it was not done; empty for {@link #done()}. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ActionResult[" + kind + (delay == null ? "" : " after " + delay) + (reason.isEmpty() ? "" : ": " + reason)
                + "]";
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is required");
        }
        return reason;
    }
}
