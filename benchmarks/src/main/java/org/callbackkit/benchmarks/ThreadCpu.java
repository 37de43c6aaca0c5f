package org.callbackkit.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where this JVM's CPU time went while a load ran, by kind of thread: the server's (Jetty's or
 * Tomcat's request threads, and every thread not named below), the garbage collector's, the load
 * client's ({@code load-N}, {@link HttpLoad}'s) and the JIT compiler's. Read from Linux's
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds on a CPU, per thread) and
 * {@code comm} (the thread's name, as the JVM sets it, cut to 15 characters).
 *
 * <p>Why: the HTTP comparisons run client and server on the same cores, so a ratio of throughputs
 * is a ratio of CPU per request. Splitting that CPU says what ours adds to a request and where,
 * which a throughput ratio alone does not.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");

    /** CPU nanoseconds per kind of thread, spent between two snapshots; empty where Linux's files are missing. */
    record Split(long serverNanos, long collectorNanos, long clientNanos, long compilerNanos) {

        long totalNanos() {
            return serverNanos + collectorNanos + clientNanos + compilerNanos;
        }

        /**
         * Microseconds per callback (request): server / collector / client (all, the compiler's included), or
         * "-" when nothing was read.
         */
        String perRequest(long requests) {
            if (totalNanos() == 0 || requests == 0) {
                return "-";
            }
            double per = 1e-3 / requests;
            return String.format(Locale.ROOT, "%.1f / %.1f / %.1f (%.1f)", serverNanos * per, collectorNanos * per,
                    clientNanos * per, totalNanos() * per);
        }
    }

    /** One live thread: its name and the CPU nanoseconds it has used. */
    record ThreadTime(String name, long nanos) {
    }

    /** Every live thread, by thread id. */
    record Snapshot(Map<String, ThreadTime> threads) {
    }

    private ThreadCpu() {
    }

    /** Every live thread's CPU time now; empty if {@code /proc} cannot be read (not Linux). */
    static Snapshot now() {
        Map<String, ThreadTime> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String schedstat;
                String name;
                try {
                    schedstat = Files.readString(task.resolve("schedstat"));
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended between the listing and the reads: it is left out of this snapshot
                }
                threads.put(task.getFileName().toString(),
                        new ThreadTime(name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')))));
            }
        } catch (IOException e) {
            return new Snapshot(Map.of());
        }
        return new Snapshot(threads);
    }

    /**
     * The CPU spent between {@code start} and {@code end}, by kind. A thread born in between counts
     * from zero; one that ended in between is missing (the servers' threads live through a
     * measured window, and {@link HttpLoad}'s wait for the end of it).
     */
    static Split between(Snapshot start, Snapshot end) {
        long server = 0;
        long collector = 0;
        long client = 0;
        long compiler = 0;
        for (Map.Entry<String, ThreadTime> thread : end.threads().entrySet()) {
            ThreadTime before = start.threads().get(thread.getKey());
            long spent = thread.getValue().nanos() - (before == null ? 0 : before.nanos());
            String name = thread.getValue().name();
            if (name.startsWith("load-")) {
                client += spent;
            } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                collector += spent;
            } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                compiler += spent;
            } else {
                server += spent;
            }
        }
        return new Split(server, collector, client, compiler);
    }
}
