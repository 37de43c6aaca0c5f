package org.callbackkit.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
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
import org.callbackkit.jdbc.JdbcCallbackStore;

/**
 * Benchmark 3: delayed actions scheduled and executed per second through our db-scheduler adapter
 * ({@code JdbcCallbackStore}'s scheduler) against raw db-scheduler, each in its own database on
 * the same PostgreSQL, with the same pool (12), worker threads (4), polling (lock-and-fetch, 1 s
 * interval) and producers. Scheduling: {@code count} actions due now, each committed on its own,
 * from 8 threads, with nothing running; ours with {@code schedule} (dedup by type and key), raw
 * db-scheduler with {@code scheduleIfNotExists}, its equivalent. Execution: the scheduler is then
 * started and timed until every action has run a handler that does nothing. Writes the
 * {@code scheduler} section of RESULTS.md.
 *
 * <p>System properties: {@code count} (default 20,000), {@code rounds} (4, ours and raw alternating;
 * the median of the rounds' ratios counts).
 */
public final class SchedulerThroughput {

    private static final int PRODUCERS = 8;
    private static final int THREADS = 4;
    private static final int POOL = 12;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private SchedulerThroughput() {
    }

    /** What one round measured, per second. */
    record Rates(double scheduled, double executed) {
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
        double[] scheduleRatios = new double[rounds];
        double[] executeRatios = new double[rounds];
        StringBuilder rows = new StringBuilder();
        int warmUp = Math.max(1, count / 10);
        ours(postgres, warmUp); // JIT and pool warm-up for both sides, not recorded
        raw(postgres, warmUp);
        for (int round = 1; round <= rounds; round++) {
            Rates o;
            Rates r;
            if (round % 2 == 1) { // alternate, so that neither side always runs first
                o = ours(postgres, count);
                r = raw(postgres, count);
            } else {
                r = raw(postgres, count);
                o = ours(postgres, count);
            }
            scheduleRatios[round - 1] = o.scheduled / r.scheduled;
            executeRatios[round - 1] = o.executed / r.executed;
            rows.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %.2f |%n", round,
                    o.scheduled, r.scheduled, scheduleRatios[round - 1], o.executed, r.executed, executeRatios[round - 1]));
            System.out.println(rows);
        }
        double scheduleRatio = Results.median(scheduleRatios);
        double executeRatio = Results.median(executeRatios);
        Results.write("scheduler", "3. Delayed actions: our db-scheduler adapter against raw db-scheduler",
                Results.command(SchedulerThroughput.class),
                String.format(Locale.ROOT, """
                        %,d actions per round, on PostgreSQL 15 (started by the benchmark, fsync on); each side in its
                        own database, HikariCP pool of %d, %d worker threads, lock-and-fetch polling every %d s,
                        %d producer threads. Scheduled/s: every action committed on its own (ours: `schedule`, which
                        deduplicates by type and key; raw: `scheduleIfNotExists`). Executed/s: from `start()` until
                        the last no-op handler returned. A warm-up round of %,d actions per side is not recorded;
                        the sides alternate which goes first. The ratio is the median of the rounds' ratios.
                        Target ratio >= 0.9: scheduling **%.2f**, execution **%.2f**: **%s**.

                        | round | ours scheduled/s | raw scheduled/s | ratio | ours executed/s | raw executed/s | ratio |
                        |---:|---:|---:|---:|---:|---:|---:|
                        """, count, POOL, THREADS, POLL.toSeconds(), PRODUCERS, warmUp, scheduleRatio, executeRatio,
                        scheduleRatio >= 0.9 && executeRatio >= 0.9 ? "met" : "not met") + rows);
    }

    private static Rates ours(Postgres postgres, int count) throws Exception {
        try (HikariDataSource pool = postgres.newDatabase(POOL);
                JdbcCallbackStore store = JdbcCallbackStore.builder(pool).threads(THREADS).pollInterval(POLL).build()) {
            CountDownLatch done = new CountDownLatch(count);
            store.scheduler().register("bench.noop", context -> {
                done.countDown();
                return ActionResult.done();
            });
            Instant now = Instant.now();
            double scheduled = produce(count, i -> store.scheduler()
                    .schedule(new DelayedAction("bench.noop", "action-" + i, "{}", now)));
            long start = System.nanoTime();
            store.start();
            return new Rates(scheduled, awaitAll(done, count, start));
        }
    }

    private static Rates raw(Postgres postgres, int count) throws Exception {
        try (HikariDataSource pool = postgres.newDatabase(POOL)) {
            createDbSchedulerTable(pool);
            CountDownLatch done = new CountDownLatch(count);
            OneTimeTask<Void> task = Tasks.oneTime("bench-noop").execute((instance, context) -> done.countDown());
            Scheduler scheduler = Scheduler.create(pool, task).threads(THREADS).pollingInterval(POLL)
                    .pollUsingLockAndFetch(0.5, 1.0).build();
            try {
                Instant now = Instant.now();
                double scheduled = produce(count, i -> scheduler.scheduleIfNotExists(task.instance("action-" + i), now));
                long start = System.nanoTime();
                scheduler.start();
                return new Rates(scheduled, awaitAll(done, count, start));
            } finally {
                scheduler.stop();
            }
        }
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
