package org.callbackkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.callbackkit.jdbc.CommitCounts;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.eclipse.jetty.server.Server;

/**
 * Benchmark 2: acknowledged Klarna pushes per second and their latency with the durable
 * callback-jdbc store, on PostgreSQL (a real server, {@link Postgres}, pool of 12 as docs/durable-storage.md
 * advises) and on SQLite (a file, the store's one connection), against the physical limit of
 * acknowledging after persisting. A push is answered 200 only after its delayed action and its
 * journal entry are committed.
 *
 * <p>The baseline ({@link Servers.PersistServlet}, on an identically configured Jetty) reads each
 * request's body, inserts one row and commits, then answers 200, on the store's own data source:
 * the same Hikari pool of 12 on PostgreSQL, the store's one SQLite connection (same file, WAL,
 * {@code synchronous=FULL}, {@code BEGIN IMMEDIATE}) on SQLite. At each level (default 16 and 64
 * connections) the baseline and ours run closed loops in alternating rounds (ABBA,
 * {@link SideBySide}); the ratio is the median of the rounds' ratios, and each side's commits per
 * callback are counted ({@link CommitCounts}). Target: ours at least 0.8 of the baseline at 16 and
 * 64 connections on both databases. Then an open loop of ours at a fixed rate (default 500/s)
 * measured from each request's intended send time. The scheduler's workers are not started, so
 * the pushes stay pending and the database does nothing but take callbacks (benchmark 3 measures
 * the execution). Writes the {@code durable} section of RESULTS.md.
 *
 * <p>System properties: {@code levels} (16,64), {@code rounds} (4), {@code jitWarmup} (3: seconds
 * each side runs, unmeasured, before the first round on each database), {@code warmup} (2) and
 * {@code seconds} (4) per run, {@code rate} (500), {@code backends} (postgresql,sqlite).
 */
public final class DurableLoad {

    private static final String TASK_TABLE = "callbackkit_scheduled_tasks";

    private DurableLoad() {
    }

    /** Runs the benchmark on a PostgreSQL it starts, and writes its section of RESULTS.md. */
    public static void main(String[] args) throws Exception {
        try (Postgres postgres = System.getProperty("backends", "postgresql").contains("postgresql")
                ? Postgres.start() : null) {
            run(postgres);
        }
    }

    /** How long each part runs, from the system properties. */
    private record Plan(int[] levels, int rounds, Duration jitWarmup, Duration warmup, Duration measure, int rate) {
        static Plan fromProperties() {
            return new Plan(Results.intsProperty("levels", "16,64"), Results.intProperty("rounds", 4),
                    Results.secondsProperty("jitWarmup", 3), Results.secondsProperty("warmup", 2),
                    Results.secondsProperty("seconds", 4), Results.intProperty("rate", 500));
        }
    }

    /** Runs the benchmark on {@code postgres} (null when only SQLite is asked for). */
    static void run(Postgres postgres) throws Exception {
        Plan plan = Plan.fromProperties();
        String backends = System.getProperty("backends", "postgresql,sqlite");
        String loadBefore = loadAverage();
        StringBuilder comparison = new StringBuilder("""
                | database | connections | load (1 min) | bare persist req/s (best round) | ours req/s (best round) | ratio ours/bare: median (each round) | bare p50 / p99 / p99.9 ms | ours p50 / p99 / p99.9 ms | commits per callback (bare / ours) | CPU µs per callback, JVM + server (bare / ours) | non-2xx (bare/ours) |
                |---|---:|---:|---:|---:|---:|---|---|---|---|---|
                """);
        StringBuilder table = new StringBuilder("""
                | database | load | acknowledged/s | p50 ms | p99 ms | p99.9 ms | non-2xx | pending actions committed |
                |---|---|---:|---:|---:|---:|---:|---:|
                """);
        String verdict = "PostgreSQL not run";
        boolean ratiosMet = true;
        if (backends.contains("postgresql")) {
            try (HikariDataSource pool = postgres.newDatabase(12);
                    JdbcCallbackStore store = JdbcCallbackStore.builder(pool).build()) {
                Verdicts verdicts = measure("PostgreSQL 15", store, postgres::cpuNanos, plan, comparison, table);
                verdict = verdicts.postgresql();
                ratiosMet &= verdicts.ratiosMet();
            }
        }
        if (backends.contains("sqlite")) {
            Path directory = temporaryDirectory("callbackkit-bench-sqlite");
            try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(directory.resolve("bench.db")).build()) {
                ratiosMet &= measure("SQLite (file)", store, () -> 0, plan, comparison, table).ratiosMet();
            } finally {
                deleteDirectory(directory);
            }
        }
        Results.write("durable", "2. Acknowledge throughput with the durable callback-jdbc store, against acknowledging after persisting",
                Results.command(DurableLoad.class),
                String.format(Locale.ROOT, """
                        Real Klarna pushes (each for a new order) through `CallbackServlet` on the same Jetty as
                        benchmark 1, with `JdbcCallbackStore`'s journal, scheduler and idempotency store: the push's
                        delayed action and its journal entry are committed before the 200. PostgreSQL 15 (zonky's
                        binaries, started by the benchmark, fsync on, on this machine's disk) through HikariCP with
                        12 connections; SQLite in a file (WAL, synchronous=FULL) with the store's single connection
                        (SQLite replaced H2 as the embedded database, so SQLite's file mode stands for H2's).
                        Load average (1 / 5 / 15 min) %s at the start, %s at the end: other builds share the
                        machine when it is above the benchmark's own 2 or so.

                        **Against acknowledging after persisting.** The baseline is a bare servlet on an identically
                        configured Jetty that reads the body, inserts one row and commits, then answers 200, on the
                        store's own data source: the same pool of 12 on PostgreSQL, the store's one connection on
                        SQLite. Same requests, same client. %d rounds per level, baseline and ours alternating
                        (ABBA), %s s warm-up excluded and %s s measured per run after %s s of each side unmeasured
                        (JIT); the ratio is the median of the rounds' ratios, rates and latencies are each side's
                        best round. Commits per callback: write transactions committed during the side's runs
                        (PostgreSQL: transaction ids assigned; SQLite: commits on the store's connection) per row
                        it committed (the baseline's rows, ours' pending actions). CPU per callback: CPU time of this
                        JVM (servers, SQLite, and the load client) and of PostgreSQL's processes during the side's runs,
                        per row it committed (PostgreSQL's own after the +): on a shared machine whose cores are busy, the ratio follows it. Target ratio >= 0.8 at 16 and 64
                        connections on both databases: **%s**.

                        """, loadBefore, loadAverage(), plan.rounds(), Results.seconds(plan.warmup()),
                        Results.seconds(plan.measure()), Results.seconds(plan.jitWarmup()),
                        ratiosMet ? "met" : "not met")
                        + comparison
                        + String.format(Locale.ROOT, """

                        **Maximum and latency.** Closed loops: ours' best round above. The open loop sends at a fixed
                        rate and measures from each request's intended send time, %s s warm-up excluded, %s s
                        measured. Target on PostgreSQL: >= 1,000 callbacks/s, and p99 <= 50 ms at 500/s: **%s**.

                        """, Results.seconds(plan.warmup()), Results.seconds(plan.measure()), verdict) + table);
    }

    /** What one database's measurement concluded. */
    private record Verdicts(boolean ratiosMet, String postgresql) {
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

    /** CPU time this JVM has used so far: the servers, ours and SQLite's, and the load client. */
    static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Measures on {@code store}; {@code serverCpuNanos} reads the CPU time of the database server's processes (0 in process). */
    private static Verdicts measure(String database, JdbcCallbackStore store, LongSupplier serverCpuNanos, Plan plan,
            StringBuilder comparison, StringBuilder table) throws Exception {
        double best = 0;
        boolean ratiosMet = true;
        HttpLoad.Outcome open;
        try (BenchShop shop = new BenchShop(store.journal(), store.scheduler(), store.stateStore())) {
            Server ours = Servers.start(shop.servlet());
            Server bare = Servers.start(new Servers.PersistServlet(store.dataSource()));
            try {
                Side[] sides = {new Side(bare, Servers.PersistServlet.PERSISTED), new Side(ours, TASK_TABLE)};
                for (Side side : sides) { // the JIT compiles both sides' code before the first round
                    HttpLoad.closedLoop(side.port(), 16, Duration.ZERO, plan.jitWarmup(), 10_000_000,
                            (connection, sequence) -> shop.klarnaPush());
                }
                for (int connections : plan.levels()) {
                    long[] commits = new long[2];
                    long[] rows = new long[2];
                    long[] cpu = new long[2];
                    long[] serverCpu = new long[2];
                    SideBySide.Comparison compared = SideBySide.compare(plan.rounds(), isOurs -> {
                        Side side = sides[isOurs ? 1 : 0];
                        long commitsBefore = CommitCounts.committed(store);
                        long rowsBefore = count(store, side.table());
                        long cpuBefore = jvmCpuNanos();
                        long serverCpuBefore = serverCpuNanos.getAsLong();
                        HttpLoad.Outcome outcome = HttpLoad.closedLoop(side.port(), connections, plan.warmup(),
                                plan.measure(), 10_000_000, (connection, sequence) -> shop.klarnaPush());
                        commits[isOurs ? 1 : 0] += CommitCounts.committed(store) - commitsBefore;
                        cpu[isOurs ? 1 : 0] += jvmCpuNanos() - cpuBefore;
                        serverCpu[isOurs ? 1 : 0] += serverCpuNanos.getAsLong() - serverCpuBefore;
                        rows[isOurs ? 1 : 0] += count(store, side.table()) - rowsBefore;
                        return outcome;
                    });
                    ratiosMet &= compared.ratio() >= 0.8;
                    comparison.append(String.format(Locale.ROOT,
                            "| %s | %d | %s | %,.0f | %,.0f | **%.2f** (%s) | %s | %s | %.2f / %.2f | %s / %s | %d/%d |%n", database,
                            connections, loadAverage().split(" ")[0], compared.bestBare().perSecond(),
                            compared.bestOurs().perSecond(), compared.ratio(), compared.rounds(),
                            SideBySide.latencies(compared.bestBare()), SideBySide.latencies(compared.bestOurs()),
                            perRow(commits[0], rows[0]), perRow(commits[1], rows[1]),
                            cpu(cpu[0], serverCpu[0], rows[0]), cpu(cpu[1], serverCpu[1], rows[1]),
                            compared.bestBare().non2xx() + compared.bestBare().errors(),
                            compared.bestOurs().non2xx() + compared.bestOurs().errors()));
                    System.out.println(comparison);
                    best = Math.max(best, compared.bestOurs().perSecond());
                    row(table, database, "closed loop, " + connections + " connections (best round)",
                            compared.bestOurs(), store);
                }
                open = HttpLoad.openLoop(sides[1].port(), 64, plan.rate(), plan.warmup(), plan.measure(),
                        (connection, sequence) -> shop.klarnaPush());
                row(table, database, "open loop, " + plan.rate() + "/s (64 connections)", open, store);
            } finally {
                ours.stop();
                bare.stop();
            }
        }
        boolean met = best >= 1000 && open.p(0.99) <= 50 && open.perSecond() >= plan.rate() * 0.95;
        return new Verdicts(ratiosMet, String.format(Locale.ROOT, "%s (max %,.0f/s, p99 at %d/s: %.1f ms)",
                met ? "met" : "not met", best, plan.rate(), open.p(0.99)));
    }

    /** One side of the comparison: its server and the table that gains a row per callback it commits. */
    private record Side(Server server, String table) {
        int port() {
            return Servers.port(server);
        }
    }

    /** CPU µs per row: the JVM's, plus the server's where there is one. */
    private static String cpu(long jvmNanos, long serverNanos, long rows) {
        return String.format(Locale.ROOT, "%.0f", perRow(jvmNanos, rows) / 1000)
                + (serverNanos == 0 ? "" : String.format(Locale.ROOT, " + %.0f", perRow(serverNanos, rows) / 1000));
    }

    private static double perRow(long commits, long rows) {
        return rows == 0 ? 0 : (double) commits / rows;
    }

    /** The rows of {@code table} in {@code store}'s database. */
    private static long count(JdbcCallbackStore store, String table) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void row(StringBuilder table, String database, String load, HttpLoad.Outcome outcome,
            JdbcCallbackStore store) {
        table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %.2f | %.2f | %d | %,d |%n", database, load,
                outcome.perSecond(), outcome.p(0.5), outcome.p(0.99), outcome.p(0.999),
                outcome.non2xx() + outcome.errors(), store.scheduler().pending().size()));
        System.out.println(table);
    }
}
