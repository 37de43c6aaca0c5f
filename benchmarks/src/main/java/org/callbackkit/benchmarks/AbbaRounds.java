package org.callbackkit.benchmarks;

import java.util.Locale;

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

    /** One run of one side: {@code ours} or the bare baseline. */
    @FunctionalInterface
    interface Side {
        HttpLoad.Outcome run(boolean ours) throws Exception;
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
