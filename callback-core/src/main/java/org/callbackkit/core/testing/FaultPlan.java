package org.callbackkit.core.testing;

import java.util.Objects;
import java.util.Random;

/**
 * Random faults for a fake provider API, for tests of what a module does when the provider's API
 * misbehaves: the fraction of calls answered with a 5xx, the fraction stalled past the client's
 * read timeout, and the fraction whose connection is closed without an answer. The rest are
 * answered normally. A value; a fake draws from it with a {@link Random} it is given, so a run
 * with {@code new Random(seed)} fails the same calls again when the calls come in the same order.
 *
 * <p>The fake provider APIs of the provider modules take it with their {@code faults(plan, random)}
 * method and say there what each fault looks like to their HTTP client.
 *
 * <pre>{@code
 * long seed = System.nanoTime();
 * System.out.println("fault seed " + seed);                       // to replay a failure
 * fakeApi.faults(new FaultPlan(0.05, 0.02, 0.02), new Random(seed)); // 5% 5xx, 2% stalled, 2% dropped
 * }</pre>
 *
 * @param serverErrors the fraction of calls answered 500, 502, 503 or 504, 0 to 1
 * @param stalls the fraction of calls never answered until the fake is closed, 0 to 1
 * @param disconnects the fraction of calls whose connection is closed without a byte of answer, 0 to 1
 */
public record FaultPlan(double serverErrors, double stalls, double disconnects) {

    /** No faults: every call is answered as scripted. */
    public static final FaultPlan NONE = new FaultPlan(0, 0, 0);

    private static final int[] SERVER_ERROR_STATUSES = {500, 502, 503, 504};

    /** What a fake does with one call. */
    public enum Fault {
        /** Answered as scripted. */
        NONE,
        /** Answered 500, 502, 503 or 504 with the provider's error body, before the call takes effect. */
        SERVER_ERROR,
        /** The call takes effect, but its answer is held until the fake is closed: the client's read timeout fires. */
        STALL,
        /** The call takes effect, then its connection is closed without an answer: the client sees an I/O error. */
        DISCONNECT
    }

    /**
     * @throws IllegalArgumentException if a fraction is outside 0..1 or not a number, or they add up to more than 1
     */
    public FaultPlan {
        requireFraction(serverErrors, "serverErrors");
        requireFraction(stalls, "stalls");
        requireFraction(disconnects, "disconnects");
        if (serverErrors + stalls + disconnects > 1.0 + 1e-9) {
            throw new IllegalArgumentException("the fractions add up to more than 1: " + (serverErrors + stalls
                    + disconnects));
        }
    }

    /**
     * {@code rate} of all calls fail, a third of them in each way.
     *
     * @throws IllegalArgumentException unless 0 &lt;= rate &lt;= 1
     */
    public static FaultPlan evenly(double rate) {
        requireFraction(rate, "rate");
        return new FaultPlan(rate / 3, rate / 3, rate / 3);
    }

    /**
     * Every call fails as {@code fault} (or none fails, for {@link Fault#NONE}): to see one kind
     * of failure in a test.
     */
    public static FaultPlan always(Fault fault) {
        return switch (Objects.requireNonNull(fault, "fault")) {
            case NONE -> NONE;
            case SERVER_ERROR -> new FaultPlan(1, 0, 0);
            case STALL -> new FaultPlan(0, 1, 0);
            case DISCONNECT -> new FaultPlan(0, 0, 1);
        };
    }

    /** The fraction of calls that fail in any way. */
    public double rate() {
        return serverErrors + stalls + disconnects;
    }

    /** Draws the fate of the next call: one {@link Random#nextDouble()}, nothing else. */
    public Fault draw(Random random) {
        Objects.requireNonNull(random, "random");
        double x = random.nextDouble();
        if (x < serverErrors) {
            return Fault.SERVER_ERROR;
        }
        if (x < serverErrors + stalls) {
            return Fault.STALL;
        }
        return x < rate() ? Fault.DISCONNECT : Fault.NONE;
    }

    /** The status of a {@link Fault#SERVER_ERROR}: 500, 502, 503 or 504, drawn from {@code random}. */
    public static int serverErrorStatus(Random random) {
        return SERVER_ERROR_STATUSES[random.nextInt(SERVER_ERROR_STATUSES.length)];
    }

    private static void requireFraction(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
        }
    }
}
