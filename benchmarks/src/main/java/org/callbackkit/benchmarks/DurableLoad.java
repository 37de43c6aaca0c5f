package org.callbackkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.eclipse.jetty.server.Server;

/**
 * Benchmark 2: acknowledged Klarna pushes per second and their latency with the durable
 * callback-jdbc store, on PostgreSQL (a real server, {@link Postgres}, pool of 12 as docs/durable-storage.md
 * advises) and on SQLite (a file, the store's one connection). A push is answered 200 only after its
 * delayed action and its journal entry are committed. Closed loop at each level for the maximum,
 * then an open loop at a fixed rate (default 500/s) measured from each request's intended send
 * time. The scheduler's workers are not started, so the pushes stay pending and the database does
 * nothing but take callbacks (benchmark 3 measures the execution). Writes the {@code durable}
 * section of RESULTS.md.
 *
 * <p>System properties: {@code levels} (16,64), {@code rate} (500), {@code warmup} (3),
 * {@code seconds} (6), {@code backends} (postgresql,sqlite).
 */
public final class DurableLoad {

    private DurableLoad() {
    }

    /** Runs the benchmark on a PostgreSQL it starts, and writes its section of RESULTS.md. */
    public static void main(String[] args) throws Exception {
        try (Postgres postgres = System.getProperty("backends", "postgresql").contains("postgresql")
                ? Postgres.start() : null) {
            run(postgres);
        }
    }

    /** Runs the benchmark on {@code postgres} (null when only SQLite is asked for). */
    static void run(Postgres postgres) throws Exception {
        int[] levels = Results.intsProperty("levels", "16,64");
        int rate = Results.intProperty("rate", 500);
        Duration warmup = Results.secondsProperty("warmup", 3);
        Duration measure = Results.secondsProperty("seconds", 6);
        String backends = System.getProperty("backends", "postgresql,sqlite");
        String loadBefore = loadAverage();
        StringBuilder table = new StringBuilder("""
                | database | load | acknowledged/s | p50 ms | p99 ms | p99.9 ms | non-2xx | pending actions committed |
                |---|---|---:|---:|---:|---:|---:|---:|
                """);
        String verdict = "PostgreSQL not run";
        if (backends.contains("postgresql")) {
            try (HikariDataSource pool = postgres.newDatabase(12);
                    JdbcCallbackStore store = JdbcCallbackStore.builder(pool).build()) {
                verdict = measure("PostgreSQL 15", store, levels, rate, warmup, measure, table);
            }
        }
        if (backends.contains("sqlite")) {
            Path directory = temporaryDirectory("callbackkit-bench-sqlite");
            try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(directory.resolve("bench.db")).build()) {
                measure("SQLite (file)", store, levels, rate, warmup, measure, table);
            } finally {
                deleteDirectory(directory);
            }
        }
        Results.write("durable", "2. Acknowledge throughput with the durable callback-jdbc store",
                Results.command(DurableLoad.class),
                String.format(Locale.ROOT, """
                        Real Klarna pushes (each for a new order) through `CallbackServlet` on the same Jetty as
                        benchmark 1, with `JdbcCallbackStore`'s journal, scheduler and idempotency store: the push's
                        delayed action and its journal entry are committed before the 200. PostgreSQL 15 (zonky's
                        binaries, started by the benchmark, fsync on, on this machine's disk) through HikariCP with
                        12 connections; SQLite in a file (WAL, synchronous=FULL) with the store's single connection. Closed loops give the
                        maximum; the open loop sends at a fixed rate and measures from each request's intended send
                        time. %s s warm-up excluded, %s s measured. Load average (1 / 5 / 15 min) %s at the start,
                        %s at the end: other builds share the machine when it is above the benchmark's own 2 or so.
                        Target on PostgreSQL: >= 1,000 callbacks/s, and p99 <= 50 ms at 500/s: **%s**.

                        """, Results.seconds(warmup), Results.seconds(measure), loadBefore, loadAverage(), verdict) + table);
    }

    /** A new temporary directory for SQLite files. */
    static Path temporaryDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code directory} and the files in it (SQLite's database, WAL and shared-memory files). */
    static void deleteDirectory(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    /** The machine's load average over 1, 5 and 15 minutes ({@code /proc/loadavg}), or "unknown". */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String measure(String database, JdbcCallbackStore store, int[] levels, int rate, Duration warmup,
            Duration measure, StringBuilder table) throws Exception {
        double best = 0;
        HttpLoad.Outcome open;
        try (BenchShop shop = new BenchShop(store.journal(), store.scheduler(), store.stateStore())) {
            Server server = Servers.start(shop.servlet());
            try {
                int port = Servers.port(server);
                for (int connections : levels) {
                    HttpLoad.Outcome closed = HttpLoad.closedLoop(port, connections, warmup, measure, 10_000_000,
                            (connection, sequence) -> shop.klarnaPush());
                    best = Math.max(best, closed.perSecond());
                    row(table, database, "closed loop, " + connections + " connections", closed, store);
                }
                open = HttpLoad.openLoop(port, 64, rate, warmup, measure, (connection, sequence) -> shop.klarnaPush());
                row(table, database, "open loop, " + rate + "/s (64 connections)", open, store);
            } finally {
                server.stop();
            }
        }
        boolean met = best >= 1000 && open.p(0.99) <= 50 && open.perSecond() >= rate * 0.95;
        return String.format(Locale.ROOT, "%s (max %,.0f/s, p99 at %d/s: %.1f ms)", met ? "met" : "not met", best, rate,
                open.p(0.99));
    }

    private static void row(StringBuilder table, String database, String load, HttpLoad.Outcome outcome,
            JdbcCallbackStore store) {
        table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %.2f | %d | %,d |%n", database, load,
                outcome.perSecond(), outcome.p(0.5), outcome.p(0.99), outcome.p(0.999),
                outcome.non2xx() + outcome.errors(), store.scheduler().pending().size()));
        System.out.println(table);
    }
}
