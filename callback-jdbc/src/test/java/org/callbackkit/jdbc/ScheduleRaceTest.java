package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.PendingAction;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code schedule} of a key whose last run is ending in another transaction at that moment, on
 * PostgreSQL: the new action must see what that transaction committed. Here it ends the run the
 * way a final failure does (the row locked, a dead action recorded, the row deleted), and the
 * new action must supersede that dead action, not sit pending beside it, whether its insert
 * waits for the deleted row or finds the row still there and waits for its lock.
 */
@ExtendWith(PostgresServer.Extension.class)
class ScheduleRaceTest {

    private static final String ID = DurableActionScheduler.instanceId("t", "k");

    @ParameterizedTest(name = "the schedule comes {0}")
    @ValueSource(strings = {"after the row is deleted", "before the row is deleted"})
    void aScheduleWaitingForAFinalFailureOfItsKeySupersedesTheDeadAction(String when, PostgresServer postgres)
            throws Exception {
        boolean afterDelete = when.startsWith("after");
        try (HikariDataSource pool = PostgresServer.pool(postgres.newDatabase("schedule_race"), 4);
                JdbcCallbackStore store = JdbcCallbackStore.builder(pool).threads(0).build()) {
            store.start();
            Instant now = Instant.now();
            store.scheduler().schedule(new DelayedAction("t", "k", "{\"v\":1}", now));
            claim(pool);

            CompletableFuture<Boolean> scheduled;
            try (Connection finisher = pool.getConnection()) {
                finisher.setAutoCommit(false);
                lockAndBury(finisher, now);
                if (afterDelete) {
                    deleteRow(finisher);
                }
                scheduled = CompletableFuture.supplyAsync(
                        () -> store.scheduler().schedule(new DelayedAction("t", "k", "{\"v\":2}", now)));
                awaitALockWait(pool);
                if (!afterDelete) {
                    deleteRow(finisher);
                }
                finisher.commit();
            }

            assertThat(scheduled.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(store.scheduler().pending()).extracting(PendingAction::action)
                    .extracting(DelayedAction::payload).containsExactly("{\"v\":2}");
            assertThat(store.scheduler().dead()).as("superseded by the new action").isEmpty();
        }
    }

    /** What a worker's claim of the row does (db-scheduler's pick), committed. */
    private static void claim(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement pick = connection.prepareStatement(
                "UPDATE callbackkit_scheduled_tasks SET picked = TRUE, picked_by = 'worker', version = version + 1"
                        + " WHERE task_instance = ?")) {
            pick.setString(1, ID);
            assertThat(pick.executeUpdate()).isEqualTo(1);
        }
    }

    /** The start of the end of a run that failed for the last time: the row locked, the dead action recorded. */
    private static void lockAndBury(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT version FROM callbackkit_scheduled_tasks WHERE task_instance = ? FOR UPDATE")) {
            lock.setString(1, ID);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
        try (PreparedStatement bury = connection.prepareStatement("INSERT INTO callbackkit_dead_actions"
                + " (action_type, action_key, payload, run_at, attempts, last_error, died_at)"
                + " VALUES ('t', 'k', '{\"v\":1}', ?, 1, 'gave up', ?)")) {
            Dialect.POSTGRESQL.setInstant(bury, 1, now);
            Dialect.POSTGRESQL.setInstant(bury, 2, now);
            bury.executeUpdate();
        }
    }

    private static void deleteRow(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM callbackkit_scheduled_tasks WHERE task_instance = ?")) {
            delete.setString(1, ID);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * Asks PostgreSQL (for up to 30 s, each query paced by the last) until a session waits for a
     * lock: the schedule, for the finisher's transaction.
     */
    private static void awaitALockWait(HikariDataSource pool) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM pg_locks WHERE NOT granted"); ResultSet count = select.executeQuery()) {
                count.next();
                if (count.getInt(1) > 0) {
                    return;
                }
            }
        }
        throw new AssertionError("the schedule never waited for the finisher's transaction");
    }
}
