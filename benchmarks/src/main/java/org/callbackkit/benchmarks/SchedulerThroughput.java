package org.callbackkit.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.jdbc.BacklogTables;
import org.callbackkit.jdbc.JdbcCallbackStore;

/**
 * Benchmark 3: delayed actions scheduled and executed per second through our db-scheduler adapter
 * ({@code JdbcCallbackStore}'s scheduler) against raw db-scheduler, each in its own database on
 * the same PostgreSQL, with the same pool (12), worker threads (4), polling (lock-and-fetch, 1 s
 * interval) and producers. Scheduling: {@code count} actions due now, each committed on its own,
 * from 8 threads, with nothing running; ours with {@code schedule} (dedup by type and key), raw
 * db-scheduler with {@code scheduleIfNotExists}, its equivalent. Execution: the scheduler is then
 * started and timed until every action has run a handler that does nothing.
 *
 * <p>Measured twice: on empty tables, and with {@code backlog} actions pending that are not due
 * (1 to 31 days ahead), so that the measured due actions are inserted into, polled from and
 * deleted from a large table and its indexes. The backlog is generated in each side's database
 * once ({@code BacklogTables}, {@code INSERT ... SELECT} over {@code generate_series}, copies of a
 * row that the side's own scheduler wrote) and reused by every round: the measured actions delete
 * their rows when they complete, which each round checks, and both databases get
 * {@code VACUUM ANALYZE} and a {@code CHECKPOINT} before every round, so that neither side meets
 * the other's dead rows, an autovacuum or a checkpoint of the seeding in its measurement. Writes
 * the {@code scheduler} section of RESULTS.md.
 *
 * <p>System properties: {@code count} (default 20,000), {@code rounds} (4, ours and raw alternating;
 * the median of the rounds' ratios counts), {@code backlog} (1,000,000; 0 measures empty tables only).
 */
public final class SchedulerThroughput {

    private static final int PRODUCERS = 8;
    private static final int THREADS = 4;
    private static final int POOL = 12;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final double TARGET = 1.0;
    private static final String OUR_TYPE = "bench.noop";
    private static final String RAW_TASK = "bench-noop";
    private static final String RAW_TABLE = "scheduled_tasks";
    /** The key of the row the backlog is copied from; each copy has {@code seed-<i>} instead. */
    private static final String TEMPLATE = "template";
    private static final Duration BACKLOG_FROM = Duration.ofDays(1);
    private static final Duration BACKLOG_SPAN = Duration.ofDays(30);

    private SchedulerThroughput() {
    }

    /**
     * What one round measured: actions scheduled and executed per second; per executed action,
     * the WAL bytes written and the CPU µs of this JVM and of PostgreSQL's processes.
     */
    record Rates(double scheduled, double executed, double walPerExecuted, double jvmCpuPerExecuted,
            double serverCpuPerExecuted) {
        /** {@code WAL bytes; JVM + server CPU µs}, per executed action. */
        String perExecuted() {
            return String.format(Locale.ROOT, "%,.0f; %.0f + %.0f", walPerExecuted, jvmCpuPerExecuted, serverCpuPerExecuted);
        }
    }

    /** Runs the benchmark on a PostgreSQL it starts, and writes its section of RESULTS.md. */
    public static void main(String[] args) throws Exception {
        try (Postgres postgres = Postgres.start()) {
            run(postgres);
        }
    }

    /** Runs the benchmark on {@code postgres}. */
    static void run(Postgres postgres) throws Exception {
        int count = Results.intProperty("count", 20_000);
        int rounds = Results.intProperty("rounds", 4);
        int backlog = Results.intProperty("backlog", 1_000_000);
        int warmUp = Math.max(1, count / 10);
        String loadBefore = DurableLoad.loadAverage();
        StringBuilder summary = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        StringBuilder seeding = new StringBuilder();
        boolean met = true;
        for (int pending : backlog > 0 ? new int[] {0, backlog} : new int[] {0}) {
            double[] scheduleRatios = new double[rounds];
            double[] executeRatios = new double[rounds];
            long seedStart = System.nanoTime();
            try (Side ours = new Ours(postgres, pending); Side raw = new Raw(postgres, pending)) {
                if (pending > 0) {
                    seeding.append(String.format(Locale.ROOT, "Seeding %,d pending actions into both databases took %.1f s. ",
                            pending, (System.nanoTime() - seedStart) / 1e9));
                }
                ours.round(warmUp, "warm-"); // JIT, pool and cache warm-up for both sides, not recorded
                raw.round(warmUp, "warm-");
                for (int round = 1; round <= rounds; round++) {
                    Rates o;
                    Rates r;
                    String keys = "r" + round + "-";
                    if (round % 2 == 1) { // alternate, so that neither side always runs first
                        o = ours.round(count, keys);
                        r = raw.round(count, keys);
                    } else {
                        r = raw.round(count, keys);
                        o = ours.round(count, keys);
                    }
                    scheduleRatios[round - 1] = o.scheduled / r.scheduled;
                    executeRatios[round - 1] = o.executed / r.executed;
                    rows.append(String.format(Locale.ROOT, "| %,d | %d | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %.2f | %s | %s |%n",
                            pending, round, o.scheduled, r.scheduled, scheduleRatios[round - 1], o.executed, r.executed,
                            executeRatios[round - 1], o.perExecuted(), r.perExecuted()));
                    System.out.println(rows);
                }
                if (pending > 0) {
                    seeding.append(String.format(Locale.ROOT, "With the backlog, ours' table and its indexes take %s, raw"
                            + " db-scheduler's %s (ours' rows carry the action as JSON and its order reference). ",
                            ours.size(), raw.size()));
                }
            }
            double scheduleRatio = Results.median(scheduleRatios);
            double executeRatio = Results.median(executeRatios);
            boolean rowMet = scheduleRatio >= TARGET && executeRatio >= TARGET;
            met &= rowMet;
            summary.append(String.format(Locale.ROOT, "| %,d | **%.2f** | **%.2f** | %s |%n", pending, scheduleRatio,
                    executeRatio, rowMet ? "met" : "not met"));
        }
        Results.write("scheduler", "3. Delayed actions: our db-scheduler adapter against raw db-scheduler",
                Results.command(SchedulerThroughput.class),
                String.format(Locale.ROOT, """
                        %,d actions per round, on PostgreSQL 15 (started by the benchmark, fsync on); each side in its
                        own database, HikariCP pool of %d, %d worker threads, lock-and-fetch polling every %d s,
                        %d producer threads. Scheduled/s: every action committed on its own (ours: `schedule`, which
                        deduplicates by type and key; raw: `scheduleIfNotExists`). Executed/s: from `start()` until
                        the last no-op handler returned. Per executed action, in that time (the other side idle):
                        the bytes PostgreSQL's write-ahead log grew by, and the CPU µs of this JVM and (after the
                        +) of PostgreSQL's processes; each side vacuums its table after its round, so that the
                        other side's window meets no autovacuum of its dead rows. Measured on empty tables and with %,d actions pending that
                        are not due (1 to 31 days ahead), so that the due actions measured are inserted into,
                        polled from and deleted from a large table and its indexes. The backlog is generated in
                        each side's database once, by `INSERT ... SELECT` over `generate_series`, as copies of a
                        row the side's own scheduler wrote (ours: `DurableActionScheduler`'s row in
                        `callbackkit_scheduled_tasks`, with its JSON data and order reference; raw: db-scheduler's
                        row in `scheduled_tasks`, created as its README gives it). %sEvery round then reuses it:
                        the measured actions delete their rows when they complete (checked after each round: the
                        tables hold exactly the backlog again), and both databases get `VACUUM ANALYZE` and a
                        `CHECKPOINT` before every round (the empty ones too), so that no round meets an earlier
                        round's dead rows, an autovacuum or the seeding's checkpoint. Cloning a seeded database
                        (`CREATE DATABASE ... TEMPLATE`) per round would copy the sizes above per side and round,
                        and reseeding would repeat the seeding time above: reuse is the fast and equal choice.
                        A warm-up round of %,d actions per side and backlog is not recorded; the sides alternate
                        which goes first. The ratio is the median of the rounds' ratios. Load average (the machine
                        is shared): %s at the start, %s at the end.
                        Target ratio >= %.1f, scheduling and execution, empty and with the backlog: **%s**.

                        | pending actions (not due) | scheduling ratio ours/raw (median) | execution ratio ours/raw (median) | target |
                        |---:|---:|---:|---|
                        %s
                        | pending | round | ours scheduled/s | raw scheduled/s | ratio | ours executed/s | raw executed/s | ratio | ours per executed action: WAL bytes; CPU µs JVM + PostgreSQL | raw per executed action |
                        |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                        """, count, POOL, THREADS, POLL.toSeconds(), PRODUCERS, backlog, seeding, warmUp, loadBefore,
                        DurableLoad.loadAverage(), TARGET, met ? "met" : "not met", summary) + rows);
    }

    /** One side's database, kept for every round at one backlog. */
    private abstract static class Side implements AutoCloseable {
        final Postgres postgres;
        final HikariDataSource pool;
        final long pending;
        final String table;
        final String taskName;

        Side(Postgres postgres, long pending, String table, String taskName) {
            this.postgres = postgres;
            this.pool = postgres.newDatabase(POOL);
            this.pending = pending;
            this.table = table;
            this.taskName = taskName;
        }

        /** Schedules {@code count} actions due now (keys {@code keys + i}), then runs them all; the rows must be gone after. */
        final Rates round(int count, String keys) throws Exception {
            execute("VACUUM ANALYZE");
            execute("CHECKPOINT");
            Rates rates = measure(count, keys);
            execute("VACUUM " + table); // its dead rows now, not by an autovacuum in the other side's window
            long left = rows();
            if (left != pending) {
                throw new IllegalStateException(getClass().getSimpleName() + ": " + left + " rows of " + taskName
                        + " after a round, expected the backlog of " + pending);
            }
            return rates;
        }

        abstract Rates measure(int count, String keys) throws Exception;

        /**
         * Gives the planner the table as it is now, with the round's actions in it. The round's
         * {@code VACUUM ANALYZE} saw the table without them (empty, or the backlog), and PostgreSQL's
         * autovacuum analyzes it again only when its next nap ends (up to a minute): before this, the
         * side whose execution came first after the warm-up polled with a plan for an empty table
         * (ours' first rounds: 607 and 697 actions/s against 2,700 in the others).
         */
        final void analyzeScheduled() throws SQLException {
            execute("ANALYZE " + table);
        }

        /** Generates the backlog from the template row the side's scheduler wrote, then deletes the template. */
        final void seed(Instant now) throws SQLException {
            Duration step = BACKLOG_SPAN.dividedBy(Math.max(1, pending));
            new BacklogTables(pool).seedTasks(table, taskName, "%" + TEMPLATE, TEMPLATE, 1, pending,
                    now.plus(BACKLOG_FROM), step);
            execute("DELETE FROM " + table + " WHERE task_name = '" + taskName + "' AND task_instance LIKE '%"
                    + TEMPLATE + "'");
            if (rows() != pending) {
                throw new IllegalStateException("seeded " + rows() + " rows, expected " + pending);
            }
        }

        /** The table's size with its indexes, for a reader ({@code pg_size_pretty}). */
        final String size() throws SQLException {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT pg_size_pretty(pg_total_relation_size('" + table + "'))")) {
                result.next();
                return result.getString(1);
            }
        }

        final long rows() throws SQLException {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT COUNT(*) FROM " + table + " WHERE task_name = '" + taskName + "'")) {
                result.next();
                return result.getLong(1);
            }
        }

        /** Where PostgreSQL's write-ahead log ends now, in bytes from its start. */
        final long walEnd() throws SQLException {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT CAST(pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS BIGINT)")) {
                result.next();
                return result.getLong(1);
            }
        }

        /**
         * Calls {@code start}, which starts the side's scheduler, and waits until {@code done} has
         * counted down {@code count} actions; returns the round's rates, and per executed action
         * the WAL bytes written and the CPU of this JVM and of PostgreSQL's processes meanwhile.
         */
        final Rates executed(double scheduled, int count, CountDownLatch done, Start start) throws Exception {
            long walFrom = walEnd();
            long jvmCpuFrom = DurableLoad.jvmCpuNanos();
            long serverCpuFrom = postgres.cpuNanos();
            long startedAt = System.nanoTime();
            start.start();
            double executed = awaitAll(done, count, startedAt);
            double jvmCpu = (DurableLoad.jvmCpuNanos() - jvmCpuFrom) / 1e3 / count;
            double serverCpu = (postgres.cpuNanos() - serverCpuFrom) / 1e3 / count;
            return new Rates(scheduled, executed, (walEnd() - walFrom) / (double) count, jvmCpu, serverCpu);
        }

        final void execute(String sql) throws SQLException {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Our adapter: a new {@code JdbcCallbackStore} per round on the side's database. */
    private static final class Ours extends Side {
        Ours(Postgres postgres, long pending) throws SQLException {
            super(postgres, pending, BacklogTables.TASK_TABLE, BacklogTables.TASK_NAME);
            if (pending > 0) {
                Instant now = Instant.now();
                try (JdbcCallbackStore store = store()) { // creates the schema
                    store.scheduler().schedule(new DelayedAction(OUR_TYPE, TEMPLATE, "{}", now.plus(BACKLOG_FROM)));
                }
                seed(now);
            }
        }

        private JdbcCallbackStore store() {
            return JdbcCallbackStore.builder(pool).threads(THREADS).pollInterval(POLL).build();
        }

        @Override
        Rates measure(int count, String keys) throws Exception {
            try (JdbcCallbackStore store = store()) {
                CountDownLatch done = new CountDownLatch(count);
                store.scheduler().register(OUR_TYPE, context -> {
                    done.countDown();
                    return ActionResult.done();
                });
                Instant now = Instant.now();
                double scheduled = produce(count, i -> store.scheduler()
                        .schedule(new DelayedAction(OUR_TYPE, keys + i, "{}", now)));
                analyzeScheduled();
                return executed(scheduled, count, done, store::start);
            }
        }
    }

    /** Raw db-scheduler: a new {@code Scheduler} per round on the side's database. */
    private static final class Raw extends Side {
        Raw(Postgres postgres, long pending) throws SQLException {
            super(postgres, pending, RAW_TABLE, RAW_TASK);
            createDbSchedulerTable(pool);
            if (pending > 0) {
                Instant now = Instant.now();
                OneTimeTask<Void> task = Tasks.oneTime(RAW_TASK).execute((instance, context) -> { });
                SchedulerClient.Builder.create(pool, task).build()
                        .scheduleIfNotExists(task.instance(TEMPLATE), now.plus(BACKLOG_FROM));
                seed(now);
            }
        }

        @Override
        Rates measure(int count, String keys) throws Exception {
            CountDownLatch done = new CountDownLatch(count);
            OneTimeTask<Void> task = Tasks.oneTime(RAW_TASK).execute((instance, context) -> done.countDown());
            Scheduler scheduler = Scheduler.create(pool, task).threads(THREADS).pollingInterval(POLL)
                    .pollUsingLockAndFetch(0.5, 1.0).build();
            try {
                Instant now = Instant.now();
                double scheduled = produce(count, i -> scheduler.scheduleIfNotExists(task.instance(keys + i), now));
                analyzeScheduled();
                return executed(scheduled, count, done, scheduler::start);
            } finally {
                scheduler.stop();
            }
        }
    }

    /** Starts a side's scheduler. */
    @FunctionalInterface
    private interface Start {
        void start() throws Exception;
    }

    /** Calls {@code schedule} for 0..count-1 from {@value #PRODUCERS} threads; returns calls per second. */
    private static double produce(int count, IntConsumer schedule) throws InterruptedException {
        List<Thread> producers = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < PRODUCERS; p++) {
            int first = p;
            Thread producer = new Thread(() -> {
                for (int i = first; i < count; i += PRODUCERS) {
                    schedule.accept(i);
                }
            }, "producer-" + p);
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join(LIMIT.toMillis());
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double awaitAll(CountDownLatch done, int count, long start) throws InterruptedException {
        if (!done.await(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException((count - done.getCount()) + " of " + count + " actions ran within " + LIMIT);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** db-scheduler's own table for PostgreSQL, as its README gives it. */
    private static void createDbSchedulerTable(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE scheduled_tasks (
                      task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
                      execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
                      last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,
                      consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,
                      priority SMALLINT, PRIMARY KEY (task_name, task_instance))""");
            statement.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
            statement.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
            statement.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
        }
    }
}
