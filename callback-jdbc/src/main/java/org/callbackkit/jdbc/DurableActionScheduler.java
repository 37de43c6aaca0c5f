package org.callbackkit.jdbc;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.ActionQuery;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DelayedActionScheduler} whose pending actions are rows of db-scheduler's table: one
 * db-scheduler task, {@value #TASK_NAME}, whose instance id is the action's type and key, so
 * that one (type, key) is one row. db-scheduler polls, claims (SKIP LOCKED on PostgreSQL), runs
 * on its threads, heartbeats, and revives the runs of a node that died; this class writes the
 * rows itself where db-scheduler's one-statement operations cannot keep our rules:
 *
 * <ul>
 *   <li>{@link #schedule}: in one transaction, the row is locked or inserted; a pending row makes
 *       it a no-op; a running (picked) row gets the new action as its follow-up, kept in the row's
 *       data, so news that arrives mid-run is never lost;</li>
 *   <li>the end of a run: in one transaction, the row is locked and checked to be still ours (its
 *       version), then deleted (done), rescheduled with the type's {@link RetrySchedule} and the
 *       attempt count in its data, or moved to {@code callbackkit_dead_actions} with its last
 *       error; a follow-up found in the row takes the row over instead.</li>
 * </ul>
 *
 * The common cases skip the transaction and cost one round trip and one commit, as db-scheduler's
 * own operations do: a new (type, key) on PostgreSQL is inserted, and its dead action deleted, by
 * one {@code INSERT ... ON CONFLICT DO NOTHING} and {@code DELETE} in auto-commit; a run that ended
 * done deletes its row if the row still has the version and data it was picked with. When they
 * find anything else, the transactions above decide. {@link #schedule}'s transaction is shared
 * with other callbacks' short writes ({@link Jdbc#inSharedTransaction}): one commit for all of
 * them.
 *
 * A run lost with its node counts as an attempt and runs again at once. A run whose end the
 * database could not take (an outage) keeps its end in memory, and {@link #recordUnrecorded()}
 * records it once the database answers, so that its row is not left claimed until the heartbeat
 * timeout. Thread-safe.
 */
final class DurableActionScheduler implements DelayedActionScheduler {

    /** db-scheduler's name for every delayed action. */
    static final String TASK_NAME = "callbackkit.action";
    /** The longest type plus key kept (PostgreSQL indexes at most about 2,700 bytes per key). */
    static final int MAX_ID_CHARS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DurableActionScheduler.class);
    private static final String TABLE = JdbcCallbackStore.TASK_TABLE;
    private static final int MAX_RUNS_PER_CALL = 100_000;
    /** What {@link #health()} counts: parameters the overdue bound twice, then {@value #TASK_NAME}. */
    static final String HEALTH_COUNTS = "SELECT SUM(CASE WHEN picked THEN 0 ELSE 1 END) AS pending,"
            + " SUM(CASE WHEN picked THEN 1 ELSE 0 END) AS running,"
            + " SUM(CASE WHEN NOT picked AND execution_time < ? THEN 1 ELSE 0 END) AS overdue,"
            + " MIN(CASE WHEN NOT picked AND execution_time < ? THEN execution_time END) AS oldest"
            + " FROM " + TABLE + " WHERE task_name = ?";

    private final Jdbc jdbc;
    private final Clock clock;
    private final RetrySchedule defaultRetries;
    private final Duration overdueAfter;
    private final Duration closeTimeout;
    private final CustomTask<ActionData> task;
    private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
    private final Queue<RunEnd> unrecorded = new ConcurrentLinkedQueue<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private boolean started;
    private boolean closed;
    private volatile Scheduler engine;

    DurableActionScheduler(Jdbc jdbc, Clock clock, RetrySchedule defaultRetries, Duration overdueAfter,
            Duration closeTimeout) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.defaultRetries = defaultRetries;
        this.overdueAfter = overdueAfter;
        this.closeTimeout = closeTimeout;
        this.task = Tasks.custom(TASK_NAME, ActionData.class)
                .onFailure(this::onOutcomeLost)
                .onDeadExecution(this::onRunLost)
                .execute(this::execute);
    }

    /** The db-scheduler task that runs every action. */
    CustomTask<ActionData> task() {
        return task;
    }

    /** Hands over the db-scheduler instance that runs {@link #task()}; called once, before {@link #start()}. */
    void attach(Scheduler engine) {
        this.engine = engine;
    }

    /** Starts db-scheduler: polling and running with threads, or only the start-up work when manual. */
    void start() {
        lock.lock();
        try {
            if (closed || started) {
                throw new IllegalStateException(closed ? "scheduler is closed" : "scheduler is already started");
            }
            started = true;
        } finally {
            lock.unlock();
        }
        engine.start();
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        Objects.requireNonNull(type, "type");
        Registration registration = new Registration(Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(retries, "retries"));
        if (handlers.putIfAbsent(type, registration) != null) {
            throw new IllegalStateException("a handler is already registered for action type " + type);
        }
    }

    @Override
    public RetrySchedule defaultRetries() {
        return defaultRetries;
    }

    /**
     * {@inheritDoc} Returns once the action is committed.
     *
     * @throws IllegalArgumentException if type and key together are longer than {@value #MAX_ID_CHARS} characters
     * @throws org.callbackkit.core.TemporarilyUnavailableException if the database cannot commit it
     */
    @Override
    public boolean schedule(DelayedAction action) {
        Objects.requireNonNull(action, "action");
        requireOpen();
        String id = instanceId(action.type(), action.key());
        // on PostgreSQL first the common case in auto-commit, not in a shared transaction: concurrent
        // schedules commit in parallel there, their WAL flushes merged by the server (benchmark 3's
        // scheduling fell from 1.09 to 0.78 of raw db-scheduler's when they were batched)
        boolean scheduled = insertIfAbsent(id, action) || jdbc.inSharedTransaction("schedule " + action.type(), connection -> {
            Row row = lockRow(connection, id);
            if (row != null) {
                return addFollowUp(connection, id, row, action);
            }
            insert(connection, id, ActionData.of(action), action.runAt());
            deleteDead(connection, action.type(), action.key());
            return true;
        });
        if (scheduled) {
            hintIfDue(action.runAt());
        }
        return scheduled;
    }

    /** Keeps {@code action} in the row of the run it came during; false if the row is not running or has one. */
    private static boolean addFollowUp(Connection connection, String id, Row row, DelayedAction action)
            throws SQLException {
        if (!row.picked() || row.data().followUp() != null) {
            return false;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE " + TABLE + " SET task_data = ? WHERE task_name = ? AND task_instance = ?")) {
            update.setBytes(1, row.data().withFollowUp(action).toJson());
            update.setString(2, TASK_NAME);
            update.setString(3, id);
            update.executeUpdate();
        }
        return true;
    }

    /**
     * The common case of {@link #schedule} in one round trip, on PostgreSQL: the row inserted
     * unless one exists, and the type and key's dead action deleted if the key now has a row that
     * is not running. Two statements, so that the delete sees a final failure that the insert
     * waited for (its row deleted, a dead action recorded); one implicit transaction in
     * auto-commit, so that no worker runs the row before the delete. Returns false when a row
     * existed, the statements lost a race, or on SQLite (whose driver prepares one statement at a
     * time); the caller's transaction then decides.
     */
    private boolean insertIfAbsent(String id, DelayedAction action) {
        if (jdbc.dialect() != Dialect.POSTGRESQL) {
            return false;
        }
        return jdbc.withConnectionOr("schedule " + action.type(), false, connection -> {
            try (PreparedStatement statements = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (task_name, task_instance, task_data, execution_time, picked, version, consecutive_failures,"
                    + " order_reference) VALUES (?, ?, ?, ?, FALSE, 1, 0, ?) ON CONFLICT DO NOTHING;"
                    + " DELETE FROM callbackkit_dead_actions WHERE action_type = ? AND action_key = ? AND EXISTS"
                    + " (SELECT 1 FROM " + TABLE + " WHERE task_name = ? AND task_instance = ? AND NOT picked)")) {
                statements.setString(1, TASK_NAME);
                statements.setString(2, id);
                statements.setBytes(3, ActionData.of(action).toJson());
                jdbc.dialect().setInstant(statements, 4, action.runAt());
                statements.setString(5, OrderActivity.orderReferenceOf(action.key()));
                statements.setString(6, action.type());
                statements.setString(7, action.key());
                statements.setString(8, TASK_NAME);
                statements.setString(9, id);
                statements.execute();
                return statements.getUpdateCount() == 1; // the insert's; the delete's comes next
            }
        });
    }

    /**
     * Runs {@code first}, then every action due now on the calling thread, retries and follow-ups
     * that become due included; only with no worker threads (manual mode). Returns how many runs
     * were made.
     *
     * @throws org.callbackkit.core.TemporarilyUnavailableException if db-scheduler cannot look for due actions
     */
    int runDue(Runnable first) {
        requireOpen();
        if (!(engine instanceof ManualScheduler manual)) {
            throw new IllegalStateException("runDue() is for a store built with threads(0); this one runs by itself");
        }
        first.run();
        int total = 0;
        while (total < MAX_RUNS_PER_CALL && !isClosed()) {
            int before = runs.get();
            try {
                manual.runAnyDueExecutions();
            } catch (RuntimeException e) { // db-scheduler's own, around the SQLException of its poll
                throw jdbc.unavailable("look for due actions", e);
            }
            int ran = runs.get() - before;
            if (ran == 0) {
                break;
            }
            total += ran;
        }
        return total;
    }

    /**
     * {@inheritDoc} A waiting row's execution time becomes now; a dead action becomes a new row due
     * now, in the transaction that deletes it, so that two operators pressing at once revive it once.
     *
     * @throws org.callbackkit.core.TemporarilyUnavailableException if the database cannot commit it
     */
    @Override
    public boolean runNow(String type, String key) {
        requireOpen();
        String id = instanceId(type, key);
        Instant now = clock.instant();
        boolean made = jdbc.inTransaction("run " + type + " now", connection -> {
            Row row = lockRow(connection, id);
            if (row != null) {
                if (row.picked()) {
                    return false;
                }
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                        + " SET execution_time = ?, version = version + 1 WHERE task_name = ? AND task_instance = ?"
                        + " AND NOT picked")) {
                    jdbc.dialect().setInstant(update, 1, now);
                    update.setString(2, TASK_NAME);
                    update.setString(3, id);
                    return update.executeUpdate() == 1;
                }
            }
            DelayedAction buried = deadAction(connection, type, key);
            if (buried == null) {
                return false;
            }
            insert(connection, id, ActionData.of(buried), now);
            deleteDead(connection, type, key);
            return true;
        });
        if (made) {
            hintIfDue(now);
        }
        return made;
    }

    private DelayedAction deadAction(Connection connection, String type, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT payload, run_at FROM callbackkit_dead_actions"
                + " WHERE action_type = ? AND action_key = ?" + jdbc.dialect().forUpdate())) {
            select.setString(1, type);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? new DelayedAction(type, key, row.getString("payload"), jdbc.dialect().getInstant(row, "run_at"))
                        : null;
            }
        }
    }

    @Override
    public List<PendingAction> pending() {
        return pending(null, Integer.MAX_VALUE);
    }

    /** {@inheritDoc} An order's actions are found by the index on their order reference. */
    @Override
    public List<PendingAction> pending(ActionQuery query) {
        return pending(query.orderReference(), query.limit());
    }

    private List<PendingAction> pending(String orderReference, int limit) {
        return jdbc.withConnection("list pending actions", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT task_data, execution_time, picked FROM "
                    + TABLE + " WHERE task_name = ?" + (orderReference == null ? "" : " AND order_reference = ?")
                    + " ORDER BY execution_time, task_instance LIMIT ?")) {
                int index = 1;
                select.setString(index++, TASK_NAME);
                if (orderReference != null) {
                    select.setString(index++, orderReference);
                }
                select.setInt(index, limit);
                List<PendingAction> pending = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ActionData data = ActionData.fromJson(rows.getBytes("task_data"));
                        pending.add(new PendingAction(data.action(jdbc.dialect().getInstant(rows, "execution_time")),
                                data.attempts(), rows.getBoolean("picked"), Optional.ofNullable(data.lastError())));
                    }
                }
                return pending;
            }
        });
    }

    @Override
    public List<DeadAction> dead() {
        return dead(null, Integer.MAX_VALUE);
    }

    /** {@inheritDoc} An order's actions are found by the index on their order reference. */
    @Override
    public List<DeadAction> dead(ActionQuery query) {
        return dead(query.orderReference(), query.limit());
    }

    private List<DeadAction> dead(String orderReference, int limit) {
        return jdbc.withConnection("list dead actions", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT action_type, action_key, payload, run_at, attempts, last_error, died_at"
                            + " FROM callbackkit_dead_actions" + (orderReference == null ? "" : " WHERE order_reference = ?")
                            + " ORDER BY died_at, action_type, action_key LIMIT ?")) {
                int index = 1;
                if (orderReference != null) {
                    select.setString(index++, orderReference);
                }
                select.setInt(index, limit);
                List<DeadAction> dead = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        DelayedAction action = new DelayedAction(rows.getString("action_type"),
                                rows.getString("action_key"), rows.getString("payload"),
                                jdbc.dialect().getInstant(rows, "run_at"));
                        dead.add(new DeadAction(action, rows.getInt("attempts"), rows.getString("last_error"),
                                jdbc.dialect().getInstant(rows, "died_at")));
                    }
                }
                return dead;
            }
        });
    }

    @Override
    public SchedulerHealth health() {
        Instant overdueBefore = clock.instant().minus(overdueAfter);
        return jdbc.withConnection("read scheduler health", connection -> {
            int pending;
            int overdue;
            int running;
            Instant oldestOverdue;
            try (PreparedStatement counts = connection.prepareStatement(HEALTH_COUNTS)) {
                jdbc.dialect().setInstant(counts, 1, overdueBefore);
                jdbc.dialect().setInstant(counts, 2, overdueBefore);
                counts.setString(3, TASK_NAME);
                try (ResultSet row = counts.executeQuery()) {
                    row.next();
                    pending = row.getInt("pending");
                    running = row.getInt("running");
                    overdue = row.getInt("overdue");
                    oldestOverdue = jdbc.dialect().getInstant(row, "oldest");
                }
            }
            int dead;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM callbackkit_dead_actions");
                    ResultSet row = count.executeQuery()) {
                row.next();
                dead = row.getInt(1);
            }
            return new SchedulerHealth(pending, overdue, running, dead, Optional.ofNullable(oldestOverdue));
        });
    }

    /**
     * Stops db-scheduler (no new runs; it waits for its running ones up to the close timeout),
     * then waits for runs still under way on other threads (manual mode). Pending actions stay in
     * the database. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        Scheduler running = engine;
        if (running != null) {
            running.stop();
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("Closed with {} delayed actions still running after {}; they run again after the "
                            + "heartbeat timeout", inFlight, closeTimeout);
                    break;
                }
                idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** db-scheduler's call: runs the handler, then records how the run ended, before returning. */
    private CompletionHandler<ActionData> execute(TaskInstance<ActionData> instance, ExecutionContext context) {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
        try {
            Execution execution = context.getExecution();
            ActionData data = instance.getData();
            int attempt = data.attempts() + 1;
            DelayedAction action = data.action(execution.executionTime);
            Registration registration = handlers.get(action.type());
            RunEnd end = new RunEnd(execution, data, attempt, run(registration, action, attempt), retriesOf(registration));
            try {
                finish(end);
            } catch (TemporarilyUnavailableException e) {
                unrecorded.add(end);
                LOG.warn("Could not record how delayed action {} {} ended ({}); recording it when the database"
                        + " answers", data.type(), data.key(), e.getMessage());
            }
        } finally {
            runs.incrementAndGet();
            lock.lock();
            try {
                inFlight--;
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return (complete, operations) -> { // already recorded in finish, in our own transaction
        };
    }

    private Outcome run(Registration registration, DelayedAction action, int attempt) {
        if (registration == null) {
            return Outcome.failed("no handler registered for action type " + action.type());
        }
        try {
            ActionResult result = registration.handler().execute(new ActionContext(action, attempt));
            if (result == null) {
                return Outcome.failed("handler returned no result");
            }
            return new Outcome(result.kind(), result.delay().orElse(null), result.reason());
        } catch (Throwable e) { // whatever the handler throws, the run is over and is retried
            LOG.warn("Delayed action {} {} failed on attempt {}", action.type(), action.key(), attempt, e);
            return Outcome.failed(e.toString());
        }
    }

    /** db-scheduler's call when a node stopped heartbeating while it ran an action. */
    private void onRunLost(ExecutionComplete complete, ExecutionOperations<ActionData> operations) {
        Execution execution = complete.getExecution();
        @SuppressWarnings("unchecked")
        ActionData data = ((TaskInstance<ActionData>) execution.taskInstance).getData();
        String error = "run lost: " + execution.pickedBy + " stopped sending heartbeats (last at "
                + execution.lastHeartbeat + ")";
        LOG.warn("Delayed action {} {}: {}; running it again", data.type(), data.key(), error);
        finish(new RunEnd(execution, data, data.attempts() + 1,
                new Outcome(ActionResult.Kind.RETRY, Duration.ZERO, error), retriesOf(handlers.get(data.type()))));
    }

    /** db-scheduler's call when {@link #execute} threw something unforeseen: the outcome could not be recorded. */
    private void onOutcomeLost(ExecutionComplete complete, ExecutionOperations<ActionData> operations) {
        LOG.error("Could not record how delayed action {} ended ({}); it stays claimed until the heartbeat timeout, "
                + "then runs again", complete.getExecution().taskInstance.getId(), complete.getCause().orElse(null));
    }

    /**
     * Records the ends of runs that the database could not take when they ended, until it fails
     * again; returns how many were recorded. Each is recorded as {@link #finish} would have: the
     * row is released, done, rescheduled or dead, unless another node took it over meanwhile.
     */
    int recordUnrecorded() {
        int recorded = 0;
        for (int left = unrecorded.size(); left > 0; left--) {
            RunEnd end = unrecorded.poll();
            if (end == null) {
                break;
            }
            try {
                finish(end);
            } catch (TemporarilyUnavailableException e) {
                unrecorded.add(end);
                LOG.debug("The database still cannot take how delayed actions ended", e);
                break;
            }
            recorded++;
        }
        if (recorded > 0) {
            LOG.info("Recorded how {} delayed actions ended while the database was unavailable", recorded);
        }
        return recorded;
    }

    /** Runs whose end waits in memory for the database. */
    int unrecorded() {
        return unrecorded.size();
    }

    /**
     * Ends a run in one statement or one transaction: forgets, reschedules or buries the action,
     * unless another node took the row over meanwhile (its version moved on); a follow-up takes
     * the row over.
     */
    private void finish(RunEnd end) {
        Execution execution = end.execution();
        ActionData ran = end.data();
        int attempt = end.attempt();
        Outcome outcome = end.outcome();
        String id = execution.taskInstance.getId();
        Instant now = clock.instant();
        Optional<Duration> next = end.retries().nextAttemptAfter(attempt);
        if (outcome.kind() == ActionResult.Kind.DONE && jdbc.withConnectionOr("record the end of " + ran.type(), false,
                connection -> deleteIfUnchanged(connection, id, execution.version, ran))) {
            return;
        }
        Instant rerunAt = jdbc.inTransaction("record the end of " + ran.type(), connection -> {
            Row row = lockRow(connection, id);
            if (row == null || row.version() != execution.version) {
                LOG.warn("Delayed action {} {} was taken over by another node while it ran; its outcome is dropped",
                        ran.type(), ran.key());
                return null;
            }
            ActionData data = row.data();
            boolean followUp = data.followUp() != null;
            boolean over = outcome.kind() != ActionResult.Kind.RETRY || next.isEmpty();
            if (over && outcome.kind() != ActionResult.Kind.DONE) {
                LOG.warn("Delayed action {} {} is dead after {} attempts: {}", data.type(), data.key(), attempt,
                        outcome.error());
            }
            if (over && followUp) { // new work supersedes what just ended, done or dead
                deleteDead(connection, data.type(), data.key());
                return reschedule(connection, id, data.promoteFollowUp(null), data.followUp().runAt(), now);
            }
            if (over) {
                if (outcome.kind() != ActionResult.Kind.DONE) {
                    bury(connection, data, execution.executionTime, attempt, outcome.error(), now);
                }
                delete(connection, id);
                return null;
            }
            Instant retryAt = now.plus(outcome.delay() == null ? next.get() : outcome.delay());
            if (followUp) { // newer news: retry with it, no later than it asked, with its full retries
                Instant asked = data.followUp().runAt();
                return reschedule(connection, id, data.promoteFollowUp(outcome.error()),
                        asked.isBefore(retryAt) ? asked : retryAt, now);
            }
            return reschedule(connection, id, data.failed(attempt, outcome.error()), retryAt, now);
        });
        if (rerunAt != null) {
            hintIfDue(rerunAt);
        }
    }

    /**
     * The common end of a run, done with nothing new for it, in one statement (auto-commit): deletes
     * the row if it still has the version and the data it was picked with. A follow-up scheduled
     * meanwhile changed the data and another node's takeover the version; then this deletes
     * nothing and returns false, and {@link #finish}'s transaction decides.
     */
    private static boolean deleteIfUnchanged(Connection connection, String id, long version, ActionData ran)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
                + " WHERE task_name = ? AND task_instance = ? AND version = ? AND task_data = ?")) {
            delete.setString(1, TASK_NAME);
            delete.setString(2, id);
            delete.setLong(3, version);
            delete.setBytes(4, ran.toJson());
            return delete.executeUpdate() == 1;
        }
    }

    private Row lockRow(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT picked, version, task_data FROM " + TABLE
                + " WHERE task_name = ? AND task_instance = ?" + jdbc.dialect().forUpdate())) {
            select.setString(1, TASK_NAME);
            select.setString(2, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new Row(row.getBoolean("picked"), row.getLong("version"),
                        ActionData.fromJson(row.getBytes("task_data")));
            }
        }
    }

    private void insert(Connection connection, String id, ActionData data, Instant runAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                + " (task_name, task_instance, task_data, execution_time, picked, version, consecutive_failures,"
                + " order_reference) VALUES (?, ?, ?, ?, FALSE, 1, 0, ?)")) {
            insert.setString(1, TASK_NAME);
            insert.setString(2, id);
            insert.setBytes(3, data.toJson());
            jdbc.dialect().setInstant(insert, 4, runAt);
            insert.setString(5, OrderActivity.orderReferenceOf(data.key()));
            insert.executeUpdate();
        }
    }

    /** Hands the row back to the pollers, to run {@code data} at {@code runAt}; returns {@code runAt}. */
    private Instant reschedule(Connection connection, String id, ActionData data, Instant runAt, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE
                + " SET task_data = ?, execution_time = ?, picked = FALSE, picked_by = NULL, last_heartbeat = NULL,"
                + " last_failure = ?, consecutive_failures = ?, version = version + 1"
                + " WHERE task_name = ? AND task_instance = ?")) {
            update.setBytes(1, data.toJson());
            jdbc.dialect().setInstant(update, 2, runAt);
            jdbc.dialect().setInstant(update, 3, data.lastError() == null ? null : now);
            update.setInt(4, data.attempts());
            update.setString(5, TASK_NAME);
            update.setString(6, id);
            update.executeUpdate();
        }
        return runAt;
    }

    private static void delete(Connection connection, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE task_name = ? AND task_instance = ?")) {
            delete.setString(1, TASK_NAME);
            delete.setString(2, id);
            delete.executeUpdate();
        }
    }

    private void bury(Connection connection, ActionData data, Instant runAt, int attempts, String error,
            Instant diedAt) throws SQLException {
        deleteDead(connection, data.type(), data.key());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO callbackkit_dead_actions"
                + " (action_type, action_key, payload, run_at, attempts, last_error, died_at, order_reference)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, data.type());
            insert.setString(2, data.key());
            insert.setString(3, data.payload());
            jdbc.dialect().setInstant(insert, 4, runAt);
            insert.setInt(5, attempts);
            insert.setString(6, error);
            jdbc.dialect().setInstant(insert, 7, diedAt);
            insert.setString(8, OrderActivity.orderReferenceOf(data.key()));
            insert.executeUpdate();
        }
    }

    private static void deleteDead(Connection connection, String type, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM callbackkit_dead_actions WHERE action_type = ? AND action_key = ?")) {
            delete.setString(1, type);
            delete.setString(2, key);
            delete.executeUpdate();
        }
    }

    /** Wakes this node's poller when an action is due now, instead of waiting out the poll interval. */
    private void hintIfDue(Instant runAt) {
        Scheduler running = engine;
        if (running != null && !(running instanceof ManualScheduler) && !runAt.isAfter(clock.instant())) {
            running.triggerCheckForDueExecutions();
        }
    }

    private RetrySchedule retriesOf(Registration registration) {
        return registration == null ? defaultRetries : registration.retries();
    }

    /**
     * The row's instance id: the type's length, the type, the key ({@code 12:demo.payment:1001}),
     * so that no two (type, key) pairs share an id whatever characters they contain.
     */
    static String instanceId(String type, String key) {
        String id = type.length() + ":" + type + ":" + key;
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("action type and key are longer than " + MAX_ID_CHARS + " characters");
        }
        return id;
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new IllegalStateException("scheduler is closed");
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private record Registration(ActionHandler handler, RetrySchedule retries) {
    }

    /** How a run ended, to record, or to record again once the database answers. */
    private record RunEnd(Execution execution, ActionData data, int attempt, Outcome outcome, RetrySchedule retries) {
    }

    /** A locked row: whether a node runs it, its version, its data. */
    private record Row(boolean picked, long version, ActionData data) {
    }

    /** How a run ended: the kind, the delay a retry asked for (null: the schedule's), the error. */
    private record Outcome(ActionResult.Kind kind, Duration delay, String error) {
        static Outcome failed(String error) {
            return new Outcome(ActionResult.Kind.RETRY, null, error);
        }
    }
}
