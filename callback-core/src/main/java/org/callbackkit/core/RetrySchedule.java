package org.callbackkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A redelivery policy as data: after which delay attempt <i>n + 1</i> follows attempt <i>n</i>,
 * and when the last attempt is made. It describes both how a provider re-sends a callback the
 * shop did not accept (so a diagnosis can say "Klarna retries until 14:00") and how a
 * {@link org.callbackkit.core.schedule.DelayedActionScheduler} retries a failing action.
 *
 * <p>Attempts are numbered from 1, the first delivery. A schedule is a list of explicit delays,
 * optionally followed by a fixed interval repeated while the total stays within a window, and
 * capped at a maximum number of attempts. Immutable and thread-safe.
 */
public final class RetrySchedule {

    private final List<Duration> delays;
    private final Duration repeatEvery;
    private final Duration window;
    private final int maxAttempts;
    private final String description;

    private RetrySchedule(List<Duration> delays, Duration repeatEvery, Duration window, int maxAttempts,
            String description) {
        this.delays = List.copyOf(delays);
        this.repeatEvery = repeatEvery;
        this.window = window;
        this.maxAttempts = maxAttempts;
        this.description = description;
    }

    /** One attempt, never retried. */
    public static RetrySchedule none() {
        return new RetrySchedule(List.of(), null, null, 1, "no retries");
    }

    /**
     * The same {@code interval} between attempts, {@code maxAttempts} in all (Ecster: 2 h, 24).
     *
     * @throws IllegalArgumentException if the interval is not positive or maxAttempts &lt; 1
     */
    public static RetrySchedule fixed(Duration interval, int maxAttempts) {
        requirePositive(interval, "interval");
        requireAttempts(maxAttempts);
        List<Duration> delays = new ArrayList<>();
        for (int i = 1; i < maxAttempts; i++) {
            delays.add(interval);
        }
        return new RetrySchedule(delays, null, null, maxAttempts,
                maxAttempts + " attempts, " + human(interval) + " apart");
    }

    /**
     * Delays growing by {@code multiplier} from {@code initial}, each capped at {@code maxDelay},
     * {@code maxAttempts} attempts in all (Blockonomics: from 4 s, 7 retries).
     *
     * @throws IllegalArgumentException if a duration is not positive, multiplier &lt; 1, or maxAttempts &lt; 1
     */
    public static RetrySchedule exponential(Duration initial, double multiplier, Duration maxDelay, int maxAttempts) {
        requirePositive(initial, "initial");
        requirePositive(maxDelay, "maxDelay");
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        requireAttempts(maxAttempts);
        List<Duration> delays = new ArrayList<>();
        double millis = initial.toMillis();
        for (int i = 1; i < maxAttempts; i++) {
            delays.add(Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis())));
            millis = Math.min(millis * multiplier, maxDelay.toMillis());
        }
        return new RetrySchedule(delays, null, null, maxAttempts,
                maxAttempts + " attempts, exponential from " + human(initial) + " (x" + multiplier + ", at most "
                        + human(maxDelay) + ")");
    }

    /**
     * Exactly these delays between attempts: {@code delays.length + 1} attempts in all.
     *
     * @throws IllegalArgumentException if a delay is not positive
     */
    public static RetrySchedule ofDelays(Duration... delays) {
        List<Duration> list = List.of(delays);
        list.forEach(d -> requirePositive(d, "delay"));
        return new RetrySchedule(list, null, null, list.size() + 1,
                (list.size() + 1) + " attempts, after " + String.join(", ", list.stream().map(RetrySchedule::human).toList()));
    }

    /**
     * This schedule followed by an attempt every {@code interval} for as long as the total time
     * since the first attempt stays within {@code window} (Klarna push: 5, 15, 30, 60 min, then
     * every 4 h, for 48 h in all).
     *
     * @throws IllegalArgumentException if a duration is not positive
     * @throws IllegalStateException if this schedule already repeats
     */
    public RetrySchedule thenEvery(Duration interval, Duration window) {
        requirePositive(interval, "interval");
        requirePositive(window, "window");
        if (repeatEvery != null) {
            throw new IllegalStateException("schedule already repeats every " + human(repeatEvery));
        }
        Duration sum = delays.stream().reduce(Duration.ZERO, Duration::plus);
        int attempts = delays.size() + 1;
        while (sum.plus(interval).compareTo(window) <= 0) {
            sum = sum.plus(interval);
            attempts++;
        }
        return new RetrySchedule(delays, interval, window, attempts,
                description + ", then every " + human(interval) + " until " + human(window) + " after the first");
    }

    /**
     * The delay between attempt {@code attempt} and the next one; empty when {@code attempt} is the last.
     *
     * @throws IllegalArgumentException if attempt &lt; 1
     */
    public Optional<Duration> nextAttemptAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1: " + attempt);
        }
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        if (attempt <= delays.size()) {
            return Optional.of(delays.get(attempt - 1));
        }
        return Optional.of(repeatEvery);
    }

    /** When the last attempt is made, the first being made at {@code firstAttempt}. */
    public Instant givesUpAt(Instant firstAttempt) {
        Objects.requireNonNull(firstAttempt, "firstAttempt");
        Instant at = firstAttempt;
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            at = at.plus(nextAttemptAfter(attempt).orElseThrow());
        }
        return at;
    }

    /** When attempt {@code attempt} is made, the first being made at {@code firstAttempt}; empty past the last. */
    public Optional<Instant> attemptAt(Instant firstAttempt, int attempt) {
        if (attempt < 1 || attempt > maxAttempts) {
            return Optional.empty();
        }
        Instant at = firstAttempt;
        for (int n = 1; n < attempt; n++) {
            at = at.plus(nextAttemptAfter(n).orElseThrow());
        }
        return Optional.of(at);
    }

    /** Attempts in all, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a failed attempt is ever followed by another. */
    public boolean retries() {
        return maxAttempts > 1;
    }

    /** In plain words, e.g. "24 attempts, 2h apart". */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RetrySchedule that && maxAttempts == that.maxAttempts && delays.equals(that.delays)
                && Objects.equals(repeatEvery, that.repeatEvery) && Objects.equals(window, that.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(delays, repeatEvery, window, maxAttempts);
    }

    @Override
    public String toString() {
        return "RetrySchedule[" + description + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    private static void requireAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
    }

    static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
