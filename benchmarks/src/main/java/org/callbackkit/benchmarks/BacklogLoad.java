package org.callbackkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.jdbc.BacklogTables;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.eclipse.jetty.server.Server;

/**
 * Benchmark 6: whether the durable store stays flat as its backlog grows. On PostgreSQL (a real
 * server, {@link Postgres}) and SQLite (a file), one database per backlog: pending delayed actions
 * ({@code pending}, default 0, 100,000 and 1,000,000, with an empty journal) and the largest of
 * them with a journal of {@code journal} entries (default 5,000,000), of which {@code oldJournal}
 * (default 1,000,000) are older than the retention age. The rows are generated in the database
 * ({@link BacklogTables}) from a real push's rows: the delayed action as {@code
 * DurableActionScheduler} writes it (due 1 h to 30 days ahead, so nothing runs) and the journal
 * entry and its order-reference row as {@code JdbcCallbackJournal} writes them, every order with
 * two entries. PostgreSQL's statistics are refreshed after the load, as autovacuum would.
 *
 * <ol>
 *   <li>Acknowledgements: real Klarna pushes through {@code CallbackServlet} and the store, as in
 *       benchmark 2, closed loop at {@code connections} (16) connections, on every backlog in
 *       turn, the order rotated each round; the ratio to the empty database in the same round,
 *       median over {@code rounds} (5).</li>
 *   <li>Queries, each repeated up to {@code queries} (1,000) times or {@code querySeconds} (5) s,
 *       one at a time, no other load: the due-action poll db-scheduler runs (see
 *       {@link BacklogTables#dueQuery()}), the scheduler's {@code health()}, and one order's
 *       journal entries ({@code JournalQuery} with {@code orderReference}, through the store's
 *       journal) for a random seeded order; with their plans.</li>
 *   <li>Retention: on the largest backlog, an open loop at {@code rate} (200/s) for
 *       {@code cleanupSeconds} (30) s, without, then with the journal's retention started at the
 *       end of the warm-up, deleting the old entries.</li>
 * </ol>
 *
 * The scheduler's workers are not started (as in benchmark 2): nothing runs, and the journal's
 * retention runs only when this benchmark calls it. Writes the {@code backlog} section of
 * RESULTS.md. Other system properties: {@code jitWarmup} (5 s of pushes on each backlog before the
 * first round, not recorded), {@code warmup} (2), {@code seconds} (4),
 * {@code backends} (postgresql,sqlite), {@code chunk} (500,000 rows per seeding transaction).
 */
public final class BacklogLoad {

    private static final Duration RETENTION = Duration.ofDays(30);
    private static final String TEMPLATE_ORDER = "bench-1";

    private BacklogLoad() {
    }

    /** One database with its backlog, store, shop and server. */
    private static final class Backlog implements AutoCloseable {
        final long pending;
        final long journal;
        final long oldJournal;
        JdbcCallbackStore store;
        BenchShop shop;
        Server server;
        BacklogTables tables;
        AutoCloseable database;
        double seedSeconds;

        Backlog(long pending, long journal, long oldJournal) {
            this.pending = pending;
            this.journal = journal;
            this.oldJournal = oldJournal;
        }

        String label() {
            return String.format(Locale.ROOT, "%,d / %,d", pending, journal);
        }

        @Override
        public void close() throws Exception {
            if (server != null) {
                server.stop();
            }
            if (shop != null) {
                shop.close();
            }
            if (store != null) {
                store.close();
            }
            if (database != null) {
                database.close();
            }
        }
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
        String backends = System.getProperty("backends", "postgresql,sqlite");
        String loadBefore = DurableLoad.loadAverage();
        StringBuilder acks = new StringBuilder("""
                | database | backlog: pending actions / journal entries | acknowledged/s (median) | ratio to empty: median (each round) | p99 ms (median) | non-2xx |
                |---|---|---:|---:|---:|---:|
                """);
        StringBuilder queries = new StringBuilder("""
                | database | backlog: pending actions / journal entries | due-action poll p50 / p99 / max ms | scheduler `health()` p50 / p99 / max ms | one order's journal entries p50 / p99 / max ms |
                |---|---|---|---|---|
                """);
        StringBuilder cleanup = new StringBuilder("""
                | database | load at the largest backlog | entries deleted | cleanup s | acknowledged/s | p50 ms | p99 ms | p99.9 ms | max ms | non-2xx |
                |---|---|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        StringBuilder seeding = new StringBuilder();
        StringBuilder plans = new StringBuilder();
        List<String> verdicts = new ArrayList<>();
        if (backends.contains("postgresql")) {
            measure("PostgreSQL 15", postgres, acks, queries, cleanup, seeding, plans, verdicts);
        }
        if (backends.contains("sqlite")) {
            measure("SQLite (file)", null, acks, queries, cleanup, seeding, plans, verdicts);
        }
        Results.write("backlog", "6. Flat as the backlog grows", Results.command(BacklogLoad.class),
                String.format(Locale.ROOT, """
                        Load average (1 / 5 / 15 min) %s at the start, %s at the end: the benchmark's own
                        threads, and any other work on the machine. Read the ratios, which compare backlogs side by
                        side in the same rounds, rather than the absolute rates. One database per backlog, all open at once; the rows
                        are generated in the database from a real push's own rows (the pending action as
                        `DurableActionScheduler` writes it, due 1 h to 30 days ahead; the journal entry and its row
                        in `callbackkit_journal_references` as `JdbcCallbackJournal` writes them; two entries per
                        order), PostgreSQL's statistics refreshed after the load (`VACUUM ANALYZE`, as autovacuum
                        would), none gathered on SQLite (the store never runs `ANALYZE`). %s

                        **Acknowledgements.** Real Klarna pushes through `CallbackServlet` and `JdbcCallbackStore`
                        as in benchmark 2 (PostgreSQL: HikariCP pool of 12; SQLite: the store's one connection),
                        closed loop at %d connections, first %s s on each backlog unmeasured (JIT and caches), then
                        %s s warm-up and %s s measured per backlog, every backlog in
                        each of %d rounds with the order rotated; the ratio is to the empty database in the same
                        round. The scheduler's workers are not started, so the pushes stay pending.
                        Target: the rate falls by no more than 20%% (ratio >= 0.8) at every backlog.

                        %s
                        **Queries**, one at a time with no other load, each up to %,d times or %s s: the due-action
                        poll is the statement db-scheduler 16.12.0 runs for the store's polling (PostgreSQL:
                        lock-and-fetch, `PostgreSqlJdbcCustomization.lockAndFetchSingleStatement`, limit 4; SQLite:
                        fetch, `DefaultJdbcCustomization.createSelectDueQuery`, limit 12), over JDBC on the store's
                        database; `health()` is `store.scheduler().health()`; the journal lookup is
                        `store.journal().find(JournalQuery.builder().orderReference(...))` for a random seeded order
                        (two entries). Target: poll and lookup p99 < 10 ms at the largest backlog.

                        %s
                        **Retention** on the largest backlog: an open loop at %d/s over 64 connections for %s s
                        (%s s warm-up excluded), first without, then with the journal's retention
                        (`JdbcCallbackJournal.applyRetention`, what its recurring task runs, with a retention of 30
                        days and no count limit) started at the end of the warm-up, deleting the entries older than
                        30 days. Latency from each request's intended send time.

                        %s
                        Seeding (rows generated in the database): %s

                        %s
                        """, loadBefore, DurableLoad.loadAverage(), String.join(" ", verdicts),
                        Results.intProperty("connections", 16), Results.seconds(Results.secondsProperty("jitWarmup", 5)),
                        Results.seconds(Results.secondsProperty("warmup", 2)),
                        Results.seconds(Results.secondsProperty("seconds", 4)), Results.intProperty("rounds", 5), acks,
                        Results.intProperty("queries", 1000), Results.seconds(Results.secondsProperty("querySeconds", 5)),
                        queries, Results.intProperty("rate", 200),
                        Results.seconds(Results.secondsProperty("cleanupSeconds", 30)),
                        Results.seconds(Results.secondsProperty("warmup", 2)), cleanup, seeding.toString().strip(),
                        plans.toString().strip()));
    }

    private static void measure(String database, Postgres postgres, StringBuilder acks, StringBuilder queries,
            StringBuilder cleanup, StringBuilder seeding, StringBuilder plans, List<String> verdicts) throws Exception {
        int[] pendingSizes = Results.intsProperty("pending", "0,100000,1000000");
        long journal = Results.intProperty("journal", 5_000_000);
        long oldJournal = Math.min(journal, Results.intProperty("oldJournal", 1_000_000));
        List<Backlog> backlogs = new ArrayList<>();
        for (int pending : pendingSizes) {
            backlogs.add(new Backlog(pending, 0, 0));
        }
        backlogs.add(new Backlog(pendingSizes[pendingSizes.length - 1], journal, oldJournal));
        Path directory = postgres == null ? DurableLoad.temporaryDirectory("callbackkit-bench-backlog") : null;
        try {
            for (Backlog backlog : backlogs) {
                open(backlog, postgres, directory);
                seeding.append(String.format(Locale.ROOT, "%s %s in %.1f s; ", database, backlog.label(),
                        backlog.seedSeconds));
                System.out.println(seeding);
            }
            Backlog largest = backlogs.get(backlogs.size() - 1);
            for (Backlog backlog : backlogs) {
                queries.append(queryRow(database, backlog));
                System.out.println(queries);
            }
            Instant now = Instant.now();
            plans.append(String.format(Locale.ROOT, """
                    Plans on %s at the largest backlog (%s):

                    The due-action poll:
                    ```
                    %s
                    ```
                    The scheduler's `health()`:
                    ```
                    %s
                    ```
                    One order's journal entries:
                    ```
                    %s
                    ```

                    """, database, largest.label(), largest.tables.explainDue(now), largest.tables.explainHealth(now),
                    largest.tables.explainFind(lookup(largest))));
            ackRounds(database, backlogs, acks, verdicts);
            cleanupRuns(database, largest, cleanup);
        } finally {
            for (Backlog backlog : backlogs) {
                backlog.close();
            }
            if (directory != null) {
                DurableLoad.deleteDirectory(directory);
            }
        }
    }

    /** Creates the backlog's database and store, pushes the template callback, seeds the rows and starts the server. */
    private static void open(Backlog backlog, Postgres postgres, Path directory) throws Exception {
        JdbcCallbackStore.Builder builder;
        if (postgres != null) {
            HikariDataSource pool = postgres.newDatabase(12);
            backlog.database = pool;
            builder = JdbcCallbackStore.builder(pool);
        } else {
            builder = JdbcCallbackStore.sqlite(directory.resolve("backlog-" + backlog.pending + "-" + backlog.journal + ".db"));
        }
        backlog.store = builder.journalRetention(RETENTION, Integer.MAX_VALUE).build();
        backlog.shop = new BenchShop(backlog.store.journal(), backlog.store.scheduler(), backlog.store.stateStore());
        CallbackResponse template = backlog.shop.router().dispatch(backlog.shop.klarnaPushRequest()); // TEMPLATE_ORDER
        if (template.status() != 200) {
            throw new IllegalStateException("the template push was answered " + template.status());
        }
        backlog.tables = new BacklogTables(backlog.store);
        long chunk = Results.intProperty("chunk", 500_000);
        Instant now = Instant.now();
        long start = System.nanoTime();
        if (backlog.pending > 0) {
            Duration step = Duration.ofDays(30).dividedBy(backlog.pending);
            for (long from = 1; from <= backlog.pending; from += chunk) {
                backlog.tables.seedPending(TEMPLATE_ORDER, from, Math.min(backlog.pending, from + chunk - 1),
                        now.plus(Duration.ofHours(1)), step);
            }
        }
        if (backlog.journal > 0) {
            // 1..old: received 60 to 31 days ago; the rest over the last 28 days (a day's margin, so
            // that none of them ages past the retention while the benchmark runs), the newest now
            Duration oldStep = Duration.ofDays(29).dividedBy(Math.max(1, backlog.oldJournal));
            Duration newStep = Duration.ofDays(28).dividedBy(Math.max(1, backlog.journal - backlog.oldJournal));
            seedJournal(backlog, 1, backlog.oldJournal, now.minus(Duration.ofDays(60)), oldStep, chunk);
            seedJournal(backlog, backlog.oldJournal + 1, backlog.journal, now.minus(newStep.multipliedBy(backlog.journal)),
                    newStep, chunk);
        }
        backlog.tables.analyze();
        backlog.seedSeconds = (System.nanoTime() - start) / 1e9;
        backlog.server = Servers.start(backlog.shop.servlet());
    }

    /** Journal rows {@code from..to}, row i received at {@code first} plus i steps, in transactions of {@code chunk}. */
    private static void seedJournal(Backlog backlog, long from, long to, Instant first, Duration step, long chunk)
            throws Exception {
        for (long start = from; start <= to; start += chunk) {
            backlog.tables.seedJournal(TEMPLATE_ORDER, start, Math.min(to, start + chunk - 1), first, step);
        }
    }

    private static String queryRow(String database, Backlog backlog) throws Exception {
        Instant now = Instant.now();
        long[] poll = time(() -> backlog.tables.pollDue(now));
        long[] health = time(() -> backlog.store.scheduler().health());
        long[] lookup = time(() -> {
            if (backlog.journal > 0 && backlog.store.journal().find(lookup(backlog)).isEmpty()) {
                throw new IllegalStateException("a seeded order has no journal entries");
            }
        });
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", database, backlog.label(), spread(poll),
                spread(health), backlog.journal > 0 ? spread(lookup) : "-");
    }

    /** A query for a random seeded order's journal entries. */
    private static JournalQuery lookup(Backlog backlog) {
        long row = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, backlog.journal));
        return JournalQuery.builder().orderReference(BacklogTables.reference(row)).build();
    }

    private interface Query {
        void run() throws Exception;
    }

    /** Runs {@code query} one at a time up to {@code queries} times or {@code querySeconds}; its sorted latencies in ns. */
    private static long[] time(Query query) throws Exception {
        int count = Results.intProperty("queries", 1000);
        long end = System.nanoTime() + Results.secondsProperty("querySeconds", 5).toNanos();
        for (int i = 0; i < Math.min(20, count); i++) { // JIT and caches, not recorded
            query.run();
        }
        Latencies latencies = new Latencies();
        for (int i = 0; i < count && System.nanoTime() < end; i++) {
            long start = System.nanoTime();
            query.run();
            latencies.add(System.nanoTime() - start);
        }
        return Latencies.sorted(List.of(latencies));
    }

    private static String spread(long[] sorted) {
        return String.format(Locale.ROOT, "%.2f / **%.2f** / %.2f (%,d)", Latencies.millis(sorted, 0.5),
                Latencies.millis(sorted, 0.99), Latencies.millis(sorted, 1.0), sorted.length);
    }

    private static void ackRounds(String database, List<Backlog> backlogs, StringBuilder acks, List<String> verdicts) {
        int rounds = Results.intProperty("rounds", 5);
        int connections = Results.intProperty("connections", 16);
        Duration warmup = Results.secondsProperty("warmup", 2);
        Duration measure = Results.secondsProperty("seconds", 4);
        int n = backlogs.size();
        double[][] rates = new double[n][rounds];
        double[][] p99s = new double[n][rounds];
        long[] failed = new long[n];
        Duration jitWarmup = Results.secondsProperty("jitWarmup", 5);
        for (Backlog backlog : backlogs) { // JIT and caches, once per backlog before the first round, not recorded
            HttpLoad.closedLoop(Servers.port(backlog.server), connections, Duration.ZERO, jitWarmup, 10_000_000,
                    (connection, sequence) -> backlog.shop.klarnaPush());
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int b = (k + round) % n; // each round starts one backlog later
                Backlog backlog = backlogs.get(b);
                HttpLoad.Outcome outcome = HttpLoad.closedLoop(Servers.port(backlog.server), connections, warmup, measure,
                        10_000_000, (connection, sequence) -> backlog.shop.klarnaPush());
                rates[b][round] = outcome.perSecond();
                p99s[b][round] = outcome.p(0.99);
                failed[b] += outcome.non2xx() + outcome.errors();
                System.out.printf(Locale.ROOT, "%s %s round %d: %,.0f/s p99 %.1f ms%n", database, backlog.label(), round + 1,
                        outcome.perSecond(), outcome.p(0.99));
            }
        }
        double worst = Double.MAX_VALUE;
        for (int b = 0; b < n; b++) {
            double[] ratios = new double[rounds];
            StringBuilder each = new StringBuilder();
            for (int round = 0; round < rounds; round++) {
                ratios[round] = rates[b][round] / rates[0][round];
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratios[round]));
            }
            double ratio = Results.median(ratios);
            if (b > 0) {
                worst = Math.min(worst, ratio);
            }
            acks.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | **%.2f** (%s) | %.1f | %d |%n", database,
                    backlogs.get(b).label(), Results.median(rates[b]), ratio, each, Results.median(p99s[b]), failed[b]));
        }
        System.out.println(acks);
        verdicts.add(String.format(Locale.ROOT, "On %s the lowest ratio to the empty database is %.2f: **%s**.", database,
                worst, worst >= 0.8 ? "met" : "not met"));
    }

    private static void cleanupRuns(String database, Backlog largest, StringBuilder cleanup) throws Exception {
        int rate = Results.intProperty("rate", 200);
        Duration warmup = Results.secondsProperty("warmup", 2);
        Duration measure = Results.secondsProperty("cleanupSeconds", 30);
        int port = Servers.port(largest.server);
        HttpLoad.Outcome quiet = HttpLoad.openLoop(port, 64, rate, warmup, measure,
                (connection, sequence) -> largest.shop.klarnaPush());
        cleanup.append(cleanupRow(database, "open loop " + rate + "/s, no cleanup", -1, Double.NaN, quiet));
        AtomicLong deleted = new AtomicLong(-1);
        AtomicLong took = new AtomicLong();
        Thread cleaner = new Thread(() -> {
            try {
                Thread.sleep(warmup.toMillis() + 50);
                long start = System.nanoTime();
                deleted.set(BacklogTables.applyJournalRetention(largest.store));
                took.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "retention");
        cleaner.start();
        HttpLoad.Outcome during = HttpLoad.openLoop(port, 64, rate, warmup, measure,
                (connection, sequence) -> largest.shop.klarnaPush());
        cleaner.join();
        cleanup.append(cleanupRow(database, "open loop " + rate + "/s, retention cleanup", deleted.get(), took.get() / 1e9,
                during));
        System.out.println(cleanup);
    }

    private static String cleanupRow(String database, String load, long deleted, double seconds, HttpLoad.Outcome outcome) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %d |%n", database, load,
                deleted < 0 ? "-" : String.format(Locale.ROOT, "%,d", deleted),
                Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds), outcome.perSecond(),
                outcome.p(0.5), outcome.p(0.99), outcome.p(0.999), outcome.p(1.0), outcome.non2xx() + outcome.errors());
    }
}
