package org.callbackkit.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;

/**
 * Ours against a bare baseline in alternating rounds, the way the HTTP comparisons measure
 * (benchmark 1 on Jetty, benchmark 7 on Spring Boot's Tomcat): ABBA, bare first in even rounds and
 * ours first in odd ones, so that a drift in a shared machine's load falls on both sides alike;
 * the ratio that counts is the median of the rounds' ratios, so that a neighbour's burst during
 * one round does not decide it; throughput and latency are each side's best round.
 */
final class AbbaRounds {

    /** The head of the table whose rows {@link Row#tableRow} writes. */
    static final String TABLE_HEAD = """
            | connections | callback | bare req/s (best round) | ours req/s (best round) | ratio ours/bare: median (each round) | bare p50 / p99 / p99.9 ms | ours p50 / p99 / p99.9 ms | non-2xx (bare/ours) |
            |---:|---|---:|---:|---:|---|---|---|
            """;

    /** Connections of the JIT warm-up runs. */
    private static final int JIT_WARMUP_CONNECTIONS = 16;

    /**
     * The sizes every comparison reads from system properties: {@code levels} (default 1,16,64),
     * {@code warmup} and {@code seconds} per run (default 2 and 3), {@code rounds} (default 6),
     * {@code jitWarmup} (default 5 seconds each side and callback, unmeasured, before the first row;
     * 0 skips it).
     */
    record Sizes(int[] levels, Duration warmup, Duration measure, int rounds, Duration jitWarmup) {
        static Sizes fromProperties() {
            return new Sizes(Results.intsProperty("levels", "1,16,64"), Results.secondsProperty("warmup", 2),
                    Results.secondsProperty("seconds", 3), Results.intProperty("rounds", 6),
                    Results.secondsProperty("jitWarmup", 5));
        }
    }

    /** One run of one side: {@code ours} or the bare baseline. */
    @FunctionalInterface
    interface Side {
        HttpLoad.Outcome run(boolean ours) throws Exception;
    }

    /** One run of one side, of one callback, at one concurrency. */
    @FunctionalInterface
    interface Run<C> {
        HttpLoad.Outcome run(boolean ours, C callback, int connections, Duration warmup, Duration measure)
                throws Exception;
    }

    /** A comparison's table (with its head) and whether every row met its target. */
    record Table(String markdown, boolean allMet) {
    }

    /** What the rounds of one row measured. */
    record Row(HttpLoad.Outcome bestBare, HttpLoad.Outcome bestOurs, double[] ratios) {

        /** The median of the rounds' ratios, ours/bare. */
        double ratio() {
            return Results.median(ratios);
        }

        /** The row of {@link #TABLE_HEAD}'s table, ending in a line break. */
        String tableRow(int connections, String callback) {
            return String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | **%.2f** (%s) | %s | %s | %d/%d |%n",
                    connections, callback, bestBare.perSecond(), bestOurs.perSecond(), ratio(), list(ratios),
                    latencies(bestBare), latencies(bestOurs), bestBare.non2xx() + bestBare.errors(),
                    bestOurs.non2xx() + bestOurs.errors());
        }
    }

    private AbbaRounds() {
    }

    /**
     * The whole comparison: first, once, every callback on both sides until the JIT has compiled
     * it (so that the first row does not measure ours interpreted against a bare side already
     * compiled: ours has more code to compile, on the same cores); then a row of {@link #measure}d
     * rounds per level and callback, printed as it grows. A row meets its target when its median
     * ratio is at least {@code target} at its level (0: no target there).
     */
    static <C> Table compare(Sizes sizes, C[] callbacks, Function<C, String> label, Run<C> run,
            IntToDoubleFunction target) throws Exception {
        for (C callback : sizes.jitWarmup().isZero() ? List.<C>of() : List.of(callbacks)) {
            run.run(false, callback, JIT_WARMUP_CONNECTIONS, Duration.ZERO, sizes.jitWarmup());
            run.run(true, callback, JIT_WARMUP_CONNECTIONS, Duration.ZERO, sizes.jitWarmup());
        }
        StringBuilder table = new StringBuilder(TABLE_HEAD);
        boolean allMet = true;
        for (int connections : sizes.levels()) {
            for (C callback : callbacks) {
                Row row = measure(sizes.rounds(),
                        ours -> run.run(ours, callback, connections, sizes.warmup(), sizes.measure()));
                allMet &= row.ratio() >= target.applyAsDouble(connections);
                table.append(row.tableRow(connections, label.apply(callback)));
                System.out.println(table);
            }
        }
        return new Table(table.toString(), allMet);
    }

    /** {@code rounds} rounds of both sides, alternating which goes first. */
    static Row measure(int rounds, Side side) throws Exception {
        HttpLoad.Outcome bestBare = null;
        HttpLoad.Outcome bestOurs = null;
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            HttpLoad.Outcome b;
            HttpLoad.Outcome o;
            if (round % 2 == 0) {
                b = side.run(false);
                o = side.run(true);
            } else {
                o = side.run(true);
                b = side.run(false);
            }
            ratios[round] = o.perSecond() / b.perSecond();
            bestBare = best(bestBare, b);
            bestOurs = best(bestOurs, o);
        }
        return new Row(bestBare, bestOurs, ratios);
    }

    private static String list(double[] values) {
        StringBuilder list = new StringBuilder();
        for (double value : values) {
            list.append(list.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", value));
        }
        return list.toString();
    }

    private static HttpLoad.Outcome best(HttpLoad.Outcome a, HttpLoad.Outcome b) {
        return a == null || b.perSecond() > a.perSecond() ? b : a;
    }

    private static String latencies(HttpLoad.Outcome outcome) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", outcome.p(0.5), outcome.p(0.99), outcome.p(0.999));
    }
}
