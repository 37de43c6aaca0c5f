package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contracts on PostgreSQL through a pool whose connections have auto-commit off (HikariCP's
 * {@code autoCommit=false}, common under Spring): the pool rolls back what a borrower did not
 * commit, so every write of the store, its one-statement ones included, must commit by itself
 * or the contracts find it lost.
 */
@ExtendWith(PostgresServer.Extension.class)
class ManualCommitStoreContractsTest extends StoreContracts {

    private static HikariDataSource pool;

    @BeforeAll
    static void createDatabase(PostgresServer postgres) {
        pool = PostgresServer.manualCommitPool(postgres.newDatabase("manual_commit"), 12);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Override
    JdbcCallbackStore.Builder storeBuilder() {
        return JdbcCallbackStore.builder(pool);
    }

    @Override
    void emptied(JdbcCallbackStore store) {
        PostgresStoreContractsTest.truncateTables(pool);
    }

    @Test
    void journalRetentionRunsEveryInterval() {
        JdbcCallbackStore.builder(pool).threads(0).build().close(); // the schema, before the tables are emptied
        PostgresStoreContractsTest.truncateTables(pool);
        JdbcCallbackStoreTest.retentionRunsAsARecurringTask(storeBuilder(), MutableClock.atFixedStart());
    }

    /**
     * The contracts run manually; with worker threads, db-scheduler's claims and heartbeats and
     * the store's end of a run commit on such a pool too (db-scheduler's polling side commits by
     * itself; only its client, which the store does not use, needs {@code commitWhenAutocommitDisabled}).
     */
    @Test
    void aRunningActionsHeartbeatsAreCommitted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JdbcCallbackStore store = storeBuilder().threads(1).pollInterval(Duration.ofMillis(50))
                .heartbeatInterval(Duration.ofMillis(100)).build()) {
            emptied(store);
            store.scheduler().register("t", context -> {
                release.await();
                return ActionResult.done();
            });
            store.start();
            store.scheduler().schedule(new DelayedAction("t", "k", "{}", Instant.now()));

            Instant first = awaitHeartbeat(beat -> true);
            awaitHeartbeat(beat -> beat.isAfter(first));
            release.countDown();
            awaitHeartbeat(beat -> beat == Instant.MAX);
            assertThat(store.scheduler().dead()).isEmpty();
        }
    }

    /**
     * Polls the action's row (up to 30 s) until its last heartbeat, {@link Instant#MAX} once the
     * row is gone, passes {@code until}; returns it.
     */
    private static Instant awaitHeartbeat(Predicate<Instant> until) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Instant beat;
        do {
            beat = lastHeartbeat();
            if (beat != null && until.test(beat)) {
                return beat;
            }
            Thread.sleep(20); // polling the database for the worker's progress, not waiting for scheduler time
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("last heartbeat " + beat + " did not come");
    }

    private static Instant lastHeartbeat() throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT last_heartbeat FROM callbackkit_scheduled_tasks WHERE task_instance = ?")) {
            select.setString(1, DurableActionScheduler.instanceId("t", "k"));
            try (ResultSet row = select.executeQuery()) {
                Instant beat = row.next() ? Dialect.POSTGRESQL.getInstant(row, "last_heartbeat") : Instant.MAX;
                connection.rollback();
                return beat;
            }
        }
    }
}
