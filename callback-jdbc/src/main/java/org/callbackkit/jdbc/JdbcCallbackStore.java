package org.callbackkit.jdbc;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callback Kit's durable state in one database: the delayed actions (on db-scheduler), the
 * journal, the idempotency store and the per-key state store, each behind its core interface so
 * that provider modules take them unchanged. SQLite in a file for one node ({@link #sqlite(Path)}),
 * PostgreSQL for many nodes ({@link #builder(DataSource)} with the host's pool).
 *
 * <pre>{@code
 * JdbcCallbackStore store = JdbcCallbackStore.builder(dataSource).clock(clock).build(); // schema created
 * store.scheduler().register("shop.paid", handler);   // register every handler, then
 * store.start();                                      // start running the actions
 * }</pre>
 *
 * <p>Pending actions survive restarts and crashes: {@link DelayedActionScheduler#schedule} returns
 * only once the action is committed, and throws {@link TemporarilyUnavailableException} (the
 * router answers 503, the provider re-sends) when it cannot commit. On PostgreSQL every node runs
 * actions; a due action is claimed by one node ({@code FOR UPDATE SKIP LOCKED}); a node that dies
 * mid-run stops heartbeating, and after {@code heartbeatInterval × missedHeartbeatsLimit} another
 * node (or the same one, restarted) runs the action again, counting the lost run as an attempt.
 *
 * <p>A database outage is answered fast: the store waits for a connection at most
 * {@link Builder#connectionWait(Duration)} (default 1 s), whatever the pool's own timeout, then
 * throws {@link TemporarilyUnavailableException}; {@link #health()} says whether the database
 * answers.
 *
 * <p>Thread-safe. {@link #close()} stops the scheduler and, for {@link #sqlite(Path)}, closes the
 * database; a {@link DataSource} passed in stays the caller's.
 */
public final class JdbcCallbackStore implements AutoCloseable {

    /** db-scheduler's table of pending actions, named for Callback Kit so a shop's own db-scheduler table is untouched. */
    static final String TASK_TABLE = "callbackkit_scheduled_tasks";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCallbackStore.class);

    private final DataSource dataSource;
    private final Runnable closeDataSource;
    private final Jdbc jdbc;
    private final DurableActionScheduler scheduler;
    private final JdbcCallbackJournal journal;
    private final JdbcIdempotencyStore idempotencyStore;
    private final JdbcStateStore stateStore;
    private final ScheduledExecutorService catchUp;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcCallbackStore(Builder builder, Dialect dialect) {
        this.dataSource = builder.dataSource;
        this.closeDataSource = builder.closeDataSource;
        this.jdbc = new Jdbc(builder.dataSource, dialect, builder.unavailableRetryAfter, builder.connectionWait);
        if (builder.createSchema) {
            try {
                new SchemaMigrator(jdbc, builder.clock).migrate();
            } catch (RuntimeException e) {
                jdbc.close();
                throw e;
            }
        }
        this.journal = new JdbcCallbackJournal(jdbc, builder.clock, builder.journalMaxAge, builder.journalMaxEntries,
                builder.journalSpoolCapacity);
        this.idempotencyStore = new JdbcIdempotencyStore(jdbc);
        this.stateStore = new JdbcStateStore(jdbc, builder.clock);
        this.scheduler = new DurableActionScheduler(jdbc, builder.clock, builder.retries, builder.overdueAfter,
                builder.closeTimeout);
        RecurringTask<Void> retention = Tasks.recurring("callbackkit.journal-retention",
                        FixedDelay.of(builder.journalCleanupInterval))
                .execute((instance, context) -> journal.applyRetention());
        scheduler.attach(engine(builder, dialect, retention));
        if (builder.threads == 0) {
            this.catchUp = null; // runDue() catches up
        } else {
            this.catchUp = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "callbackkit-catch-up");
                thread.setDaemon(true);
                return thread;
            });
            long every = builder.pollInterval.toMillis();
            catchUp.scheduleWithFixedDelay(this::catchUp, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A builder for a store in {@code dataSource}: PostgreSQL (many nodes; give it a pool sized as
     * docs/durable-storage.md says). The data source stays the caller's to close. (A SQLite data source is
     * taken too, but {@link #sqlite(Path)} is the one that sets the file up as the store needs.)
     *
     * <p>The store ends the transactions on the connections it takes itself (it sets auto-commit,
     * commits and rolls back), whatever auto-commit the pool hands them out with; give it a plain
     * pool, not one that binds connections to a transaction of the caller's. A new delayed action
     * is one statement in auto-commit; journal entries that come while others are being written
     * share the next transaction and its one commit (group commit, up to two such transactions at
     * once, each on one connection). Each returns only once its writes are committed.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), () -> { });
    }

    /**
     * A builder for a store in the SQLite database file {@code file}, created (with its folder) if
     * missing: one node, no server. The file is in WAL mode ({@code file-wal} and {@code file-shm}
     * beside it while open) with {@code synchronous=FULL}, so every commit is on disk before the
     * store returns, and a process killed at any moment keeps everything it acknowledged (the
     * crash test: 100 SIGKILLs, none lost). {@link #close()} closes the file.
     *
     * <p>The store holds one connection, which every statement takes in turn, and a transaction
     * holds the file's write lock from its start. Callbacks' writes (a delayed action scheduled, a
     * journal entry) that come while another transaction is being written share the next one and
     * its one sync to disk (group commit); one that fails fails alone; each returns only once that
     * transaction is committed. Code that uses {@link #dataSource()} must not
     * call the store while it holds that connection. Another process that holds the file's write
     * lock longer than the {@link Builder#connectionWait(Duration) connection wait} is an outage:
     * the store answers {@link TemporarilyUnavailableException} and {@link #health()} says down.
     */
    public static Builder sqlite(Path file) {
        SqliteFile database = sqliteFile(file);
        Builder builder = new Builder(database, database::close);
        builder.ownSqliteFile = database;
        return builder;
    }

    /** The one-connection data source on the SQLite file {@code file} that {@link #sqlite(Path)} uses; the caller closes it. */
    static SqliteFile sqliteFile(Path file) {
        return new SqliteFile(Objects.requireNonNull(file, "file"));
    }

    /** The durable delayed-action scheduler; pass it to provider modules in place of the in-memory one. */
    public DelayedActionScheduler scheduler() {
        return scheduler;
    }

    /** The durable journal; pass it to {@code CallbackRouter.Builder#journal}. */
    public CallbackJournal journal() {
        return journal;
    }

    /** The durable idempotency store; pass it to provider modules that remember what was done. */
    public IdempotencyStore idempotencyStore() {
        return idempotencyStore;
    }

    /**
     * The durable per-key state, e.g. for {@code PaymentLedger.in(store.stateStore())} of
     * callback-blockonomics. On PostgreSQL an update holds a connection of the pool while it runs.
     */
    public StateStore stateStore() {
        return stateStore;
    }

    /** The database this store keeps its tables in. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Whether the database answers now (a connection within the connection wait that passes
     * {@link java.sql.Connection#isValid(int)}), and what waits in memory for it: journal entries
     * kept and dropped, ends of delayed actions not recorded. For a health endpoint or the journal
     * page; it never throws, and takes at most about the connection wait (no time at all while
     * another caller is trying a database known to be down).
     */
    public StoreHealth health() {
        return new StoreHealth(jdbc.reachable(), journal.spooled(), journal.dropped(), scheduler.unrecorded());
    }

    /**
     * Starts running delayed actions: with worker threads, polling begins; with
     * {@link Builder#threads(int) threads(0)}, nothing runs until {@link #runDue()}. Call it once
     * every handler is registered, so that actions left from before a restart find theirs.
     *
     * @throws IllegalStateException if already started, or after {@link #close()}
     */
    public void start() {
        scheduler.start();
    }

    /**
     * Runs, on the calling thread, every action due now by the store's clock, including retries
     * and follow-ups that become due meanwhile; returns how many runs were made. First it writes
     * what waited in memory for the database (journal entries, how runs ended), which a store with
     * threads does every poll interval by itself. For tests and hosts with their own trigger.
     *
     * @throws IllegalStateException unless built with {@link Builder#threads(int) threads(0)}, or after {@link #close()}
     * @throws TemporarilyUnavailableException if the database cannot be read for due actions (what
     *     ran before that is recorded, or waits in memory for the database)
     */
    public int runDue() {
        return scheduler.runDue(this::catchUp);
    }

    /** Waits for a catch-up under way, which waits for a connection at most the connection wait per step. */
    private void awaitCatchUpThread() {
        try {
            if (!catchUp.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The catch-up thread did not end within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what waited in memory for the database; a no-op while it is still unavailable. */
    private void catchUp() {
        try {
            scheduler.recordUnrecorded();
            journal.flush();
        } catch (RuntimeException e) { // a bug must not end the catch-up thread
            LOG.error("Could not catch up with the database", e);
        }
    }

    /**
     * Stops the scheduler, waiting up to the close timeout for running actions (pending ones stay
     * in the database), writes what still waits in memory for the database if it can (and logs
     * what it cannot), then closes the database if the store opened it. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.close();
            if (catchUp != null) {
                catchUp.shutdown();
                awaitCatchUpThread();
            }
            catchUp();
            int lost = journal.spooled();
            if (lost > 0) {
                LOG.error("Closed with {} journal entries that the database could not take; they are lost", lost);
            }
            int unrecorded = scheduler.unrecorded();
            if (unrecorded > 0) {
                LOG.warn("Closed with {} delayed actions whose end the database could not take; they run again after"
                        + " the heartbeat timeout", unrecorded);
            }
        } finally {
            jdbc.close();
            closeDataSource.run();
        }
    }

    private Scheduler engine(Builder builder, Dialect dialect, RecurringTask<Void> retention) {
        SchedulerBuilder engine;
        if (builder.threads == 0) {
            engine = TestHelper.createManualScheduler(builder.dataSource, List.of(scheduler.task()))
                    .clock(new ClockAdapter(builder.clock))
                    .startTasks(List.of(retention));
        } else {
            engine = Scheduler.create(builder.dataSource, List.of(scheduler.task()))
                    .startTasks(retention)
                    .clock(builder.clock::instant)
                    .threads(builder.threads)
                    .pollingInterval(builder.pollInterval)
                    .heartbeatInterval(builder.heartbeatInterval)
                    .missedHeartbeatsLimit(builder.missedHeartbeatsLimit)
                    .shutdownMaxWait(builder.closeTimeout)
                    .schedulerName(builder.nodeName == null ? new SchedulerName.Hostname()
                            : new SchedulerName.Fixed(builder.nodeName));
            if (dialect.lockAndFetch()) {
                // claim at most one batch per idle thread, so nothing claimed waits in a queue
                engine.pollUsingLockAndFetch(0.5, 1.0);
            }
        }
        return engine.tableName(TASK_TABLE)
                .serializer(new ActionData.TaskDataSerializer())
                .jdbcCustomization(dialect.schedulerCustomization())
                .build();
    }

    /** db-scheduler's manual scheduler wants its own clock type; this one reads ours. */
    private static final class ClockAdapter extends SettableClock {
        private final Clock clock;

        ClockAdapter(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Instant now() {
            return clock.instant();
        }
    }

    /**
     * Builds a {@link JdbcCallbackStore}. Each value is checked as it is set
     * ({@link IllegalArgumentException}); rules between values at {@link #build()}
     * ({@link IllegalStateException}). Not thread-safe.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private final Runnable closeDataSource;
        private Clock clock = Clock.systemUTC();
        private RetrySchedule retries = InMemoryDelayedActionScheduler.DEFAULT_RETRIES;
        private Duration overdueAfter = Duration.ofMinutes(5);
        private int threads = 4;
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private int missedHeartbeatsLimit = 6;
        private Duration closeTimeout = Duration.ofSeconds(30);
        private String nodeName;
        private Duration unavailableRetryAfter = Duration.ofSeconds(30);
        private Duration connectionWait = Duration.ofSeconds(1);
        private int journalSpoolCapacity = 10_000;
        private SqliteFile ownSqliteFile;
        private Duration journalMaxAge = Duration.ofDays(30);
        private int journalMaxEntries = 1_000_000;
        private Duration journalCleanupInterval = Duration.ofMinutes(10);
        private boolean createSchema = true;

        private Builder(DataSource dataSource, Runnable closeDataSource) {
            this.dataSource = dataSource;
            this.closeDataSource = closeDataSource;
        }

        /** The clock that decides when actions are due and stamps journal retention; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Retries of action types registered without a schedule; default {@link InMemoryDelayedActionScheduler#DEFAULT_RETRIES}. */
        public Builder defaultRetries(RetrySchedule retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /**
         * How long past its time a waiting action may be before {@code health()} calls it overdue; default 5 min.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder overdueAfter(Duration overdueAfter) {
            this.overdueAfter = requireNotNegative(overdueAfter, "overdueAfter");
            return this;
        }

        /**
         * Threads that run actions on this node; default 4. With 0 nothing runs by itself:
         * {@link JdbcCallbackStore#runDue()} runs what is due, on the caller's thread (tests).
         * Size the pool for these threads plus about three (polling, heartbeats) plus the
         * callbacks answered at once.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must not be negative: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * How often an idle node looks for due actions; default 5 s. Actions scheduled due now on
         * this node start at once regardless.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = requirePositive(pollInterval, "pollInterval");
            return this;
        }

        /**
         * How often a node marks the actions it runs as alive; default 30 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = requirePositive(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * How many heartbeats a run may miss before another node runs its action again; default 6
         * (with 30 s heartbeats, a dead node's action runs again after 3 min).
         *
         * @throws IllegalArgumentException if below 4 (db-scheduler's minimum)
         */
        public Builder missedHeartbeatsLimit(int missedHeartbeatsLimit) {
            if (missedHeartbeatsLimit < 4) {
                throw new IllegalArgumentException("missedHeartbeatsLimit must be >= 4: " + missedHeartbeatsLimit);
            }
            this.missedHeartbeatsLimit = missedHeartbeatsLimit;
            return this;
        }

        /**
         * How long {@link JdbcCallbackStore#close()} waits for running actions; default 30 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = requireNotNegative(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * This node's name in the {@code picked_by} column and the logs; default the host name.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder nodeName(String nodeName) {
            if (nodeName == null || nodeName.isBlank()) {
                throw new IllegalArgumentException("nodeName must not be blank");
            }
            this.nodeName = nodeName;
            return this;
        }

        /**
         * The {@code Retry-After} of the 503 answered when the database cannot commit; default 30 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder unavailableRetryAfter(Duration retryAfter) {
            this.unavailableRetryAfter = requireNotNegative(retryAfter, "unavailableRetryAfter");
            return this;
        }

        /**
         * How long the store waits for a connection of the pool before it gives up; default 1 s,
         * well under the shortest time a provider waits for an answer. It holds whatever the
         * pool's own timeout (HikariCP's {@code connectionTimeout}, 30 s by default): the wait is
         * interrupted when it is up, which ends it in HikariCP, DBCP, Tomcat's pool and c3p0 (the
         * caller's thread comes back with its interrupt status as it was). On SQLite the wait
         * covers the connection and then the file's write lock, which another process may hold
         * ({@code busy_timeout}); {@link JdbcCallbackStore#sqlite(Path)} also waits no longer for
         * db-scheduler's own statements. Once a wait failed, one caller at a time
         * waits until one succeeds, and the others fail at once. A callback whose work cannot be
         * stored within it is answered 503 with {@link #unavailableRetryAfter(Duration)
         * Retry-After}: {@code schedule}, the idempotency and the state store throw
         * {@link TemporarilyUnavailableException}.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectionWait(Duration connectionWait) {
            this.connectionWait = requirePositive(connectionWait, "connectionWait");
            return this;
        }

        /**
         * Journal entries older than {@code maxAge}, and all but the newest {@code maxEntries},
         * are deleted in the background; default 30 days and 1,000,000 entries.
         *
         * @throws IllegalArgumentException if maxAge is not positive or maxEntries &lt; 1
         */
        public Builder journalRetention(Duration maxAge, int maxEntries) {
            requirePositive(maxAge, "maxAge");
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be >= 1: " + maxEntries);
            }
            this.journalMaxAge = maxAge;
            this.journalMaxEntries = maxEntries;
            return this;
        }

        /**
         * How many journal entries wait in memory while the database cannot take them; default
         * 10,000 (a few MB). They are written when it returns, oldest first, each once; the
         * store checks every poll interval (with {@link #threads(int) threads(0)}, at every
         * {@link JdbcCallbackStore#runDue()}). Entries beyond it are dropped and counted in
         * {@link StoreHealth#journalDropped()}; 0 keeps none.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder journalSpoolCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("journalSpoolCapacity must not be negative: " + capacity);
            }
            this.journalSpoolCapacity = capacity;
            return this;
        }

        /**
         * How often the journal retention runs (on one node at a time); default 10 min.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder journalCleanupInterval(Duration interval) {
            this.journalCleanupInterval = requirePositive(interval, "journalCleanupInterval");
            return this;
        }

        /**
         * Whether {@link #build()} creates and upgrades the tables (default true). Turn it off when
         * the host's own migration tool runs the scripts in {@code org/callbackkit/jdbc/schema/}.
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /**
         * Builds the store: finds out the database (SQLite or PostgreSQL), creates or upgrades the
         * schema unless told not to, and prepares db-scheduler. Nothing runs before
         * {@link JdbcCallbackStore#start()}.
         *
         * @throws IllegalStateException if overdueAfter is shorter than pollInterval (every
         *     action would look overdue before a poll finds it), or the database is neither SQLite nor
         *     PostgreSQL or cannot be reached
         * @throws TemporarilyUnavailableException if the schema cannot be created
         */
        public JdbcCallbackStore build() {
            if (threads > 0 && overdueAfter.compareTo(pollInterval) < 0) {
                throw new IllegalStateException("overdueAfter (" + overdueAfter + ") is shorter than pollInterval ("
                        + pollInterval + "): actions would look overdue before a poll finds them");
            }
            try {
                if (ownSqliteFile != null) { // also the bound of db-scheduler's waits, which take no watchdog
                    ownSqliteFile.waitAtMost(connectionWait);
                }
                return new JdbcCallbackStore(this, Dialect.of(dataSource));
            } catch (RuntimeException e) {
                closeDataSource.run();
                throw e;
            }
        }

        private static Duration requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }

        private static Duration requireNotNegative(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + duration);
            }
            return duration;
        }
    }
}
