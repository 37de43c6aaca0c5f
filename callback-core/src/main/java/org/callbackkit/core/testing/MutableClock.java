package org.callbackkit.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until told to move, for tests that control time instead of
 * sleeping. Thread-safe; clocks made by {@link #withZone(ZoneId)} share this one's time.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at {@code start}, in UTC. */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /** A clock at 2026-01-01T00:00:00Z, in UTC. */
    public static MutableClock atFixedStart() {
        return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * Moves the clock forward by {@code duration} and returns the new time.
     *
     * @throws IllegalArgumentException if the duration is negative
     */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        return now.updateAndGet(t -> t.plus(duration));
    }

    /** Sets the time, forward or back (a clock jump). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(now, zone);
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }
}
