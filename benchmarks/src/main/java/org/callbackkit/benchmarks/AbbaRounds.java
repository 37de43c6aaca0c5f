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

    /** The head of the table whose rows {@link #tableRow} writes. */
    static final String TABLE_HEAD = """
            | connections | callback | bare req/s (best round) | ours req/s (best round) | ratio ours/bare: median (each round) | bare p50 / p99 / p99.9 ms | ours p50 / p99 / p99.9 ms | non-2xx (bare/ours) | bare CPU µs per callback: server / collector / client (all) | ours CPU µs per callback |
            |---:|---|---:|---:|---:|---|---|---|---|---|
            """;

    /** What the table's last two columns are, for the text above it. */
    static final String CPU_COLUMNS = """
            CPU µs per callback: this JVM's CPU time in each side's best round's measured window, per
            callback answered, by thread (`ThreadCpu`, from Linux's per-thread `schedstat`): the
            server's (request threads and every other), the collector's, the load client's, and in
            brackets all of it, the JIT compiler's included. Client and server share the cores, so the
            ratio of throughputs follows the inverse ratio of these totals.""";

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

    /** One run of one side, of one callback, at one concurrency. */
    @FunctionalInterface
    interface Run<C> {
        HttpLoad.Outcome run(boolean ours, C callback, int connections, Duration warmup, Duration measure)
                throws Exception;
    }

    /** A comparison's table (with its head) and whether every row met its target. */
    record Table(String markdown, boolean allMet) {
    }

    private AbbaRounds() {
    }

    /**
     * The whole comparison: first, once, every callback on both sides until the JIT has compiled
     * it (so that the first row does not measure ours interpreted against a bare side already
     * compiled: ours has more code to compile, on the same cores); then a row of measured
     * rounds ({@link SideBySide}) per level and callback, printed as it grows. A row meets its target when its median
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
                SideBySide.Comparison row = SideBySide.compare(sizes.rounds(),
                        ours -> run.run(ours, callback, connections, sizes.warmup(), sizes.measure()));
                allMet &= row.ratio() >= target.applyAsDouble(connections);
                table.append(tableRow(connections, label.apply(callback), row));
                System.out.println(table);
            }
        }
        return new Table(table.toString(), allMet);
    }

    /** The row of {@link #TABLE_HEAD}'s table for {@code row}, ending in a line break. */
    static String tableRow(int connections, String callback, SideBySide.Comparison row) {
        HttpLoad.Outcome bare = row.bestBare();
        HttpLoad.Outcome ours = row.bestOurs();
        return String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | **%.2f** (%s) | %s | %s | %d/%d | %s | %s |%n",
                connections, callback, bare.perSecond(), ours.perSecond(), row.ratio(), row.rounds(),
                SideBySide.latencies(bare), SideBySide.latencies(ours), bare.non2xx() + bare.errors(),
                ours.non2xx() + ours.errors(), bare.cpu().perRequest(bare.requests()),
                ours.cpu().perRequest(ours.requests()));
    }
}
