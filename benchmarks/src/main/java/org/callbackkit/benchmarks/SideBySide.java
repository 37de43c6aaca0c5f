package org.callbackkit.benchmarks;

import java.util.Locale;

/**
 * Ours against a baseline on a shared machine: rounds in which the two sides alternate which goes
 * first (ABBA), so that a drift in the machine's load falls on both alike, and the median of the
 * rounds' ratios, so that a neighbour's burst during one round does not decide it. Benchmarks 1
 * and 2 compare this way.
 */
final class SideBySide {

    /** One closed-loop run of one side. */
    @FunctionalInterface
    interface Run {
        /** Measures ours ({@code ours} true) or the baseline once. */
        HttpLoad.Outcome run(boolean ours) throws Exception;
    }

    /** What the rounds measured: each side's best round and every round's ratio ours / baseline. */
    record Comparison(HttpLoad.Outcome bestBare, HttpLoad.Outcome bestOurs, double[] ratios) {
        /** The median of the rounds' ratios: what a target is judged by. */
        double ratio() {
            return Results.median(ratios);
        }

        /** The rounds' ratios, comma-separated, to two decimals. */
        String rounds() {
            return list(ratios);
        }
    }

    private SideBySide() {
    }

    /** Runs {@code rounds} rounds of both sides, baseline first in even rounds and ours first in odd ones. */
    static Comparison compare(int rounds, Run run) throws Exception {
        HttpLoad.Outcome bestBare = null;
        HttpLoad.Outcome bestOurs = null;
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            HttpLoad.Outcome bare;
            HttpLoad.Outcome ours;
            if (round % 2 == 0) {
                bare = run.run(false);
                ours = run.run(true);
            } else {
                ours = run.run(true);
                bare = run.run(false);
            }
            ratios[round] = ours.perSecond() / bare.perSecond();
            bestBare = best(bestBare, bare);
            bestOurs = best(bestOurs, ours);
        }
        return new Comparison(bestBare, bestOurs, ratios);
    }

    /** The faster of {@code a} (null: none yet) and {@code b}. */
    static HttpLoad.Outcome best(HttpLoad.Outcome a, HttpLoad.Outcome b) {
        return a == null || b.perSecond() > a.perSecond() ? b : a;
    }

    /** {@code values} comma-separated, to two decimals. */
    static String list(double[] values) {
        StringBuilder list = new StringBuilder();
        for (double value : values) {
            list.append(list.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", value));
        }
        return list.toString();
    }

    /** p50 / p99 / p99.9 of {@code outcome} in milliseconds. */
    static String latencies(HttpLoad.Outcome outcome) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", outcome.p(0.5), outcome.p(0.99), outcome.p(0.999));
    }
}
