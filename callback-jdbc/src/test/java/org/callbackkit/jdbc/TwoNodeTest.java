package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.callbackkit.core.schedule.DelayedAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two shop nodes on one PostgreSQL: node A in a JVM of its own (so that it can be killed with
 * SIGKILL), node B in the test's JVM with a pool of its own. Both poll with lock-and-fetch
 * ({@code FOR UPDATE SKIP LOCKED}).
 */
@ExtendWith(PostgresServer.Extension.class)
class TwoNodeTest {

    private static final Path LOG = Path.of("target", "two-node-test", "node-a.log");

    private String url;
    private HikariDataSource pool;
    private JdbcCallbackStore nodeB;

    @BeforeEach
    void nodeB(PostgresServer postgres) {
        url = postgres.newDatabase("two_nodes");
        pool = PostgresServer.pool(url, 10);
        nodeB = CallbackNode.node(pool, "node-b", false);
    }

    @AfterEach
    void close() {
        nodeB.close();
        pool.close();
    }

    @Test
    void actionsAreSharedAndNoneRunsTwice() throws Exception {
        try (NodeProcess nodeA = NodeProcess.start(LOG, "--postgres", url, "--name", "node-a")) {
            nodeB.start();
            int actions = 400;
            Instant due = Instant.now().plusSeconds(2); // both nodes are polling when the actions fall due
            for (int i = 0; i < actions; i++) {
                nodeB.scheduler().schedule(new DelayedAction(CallbackNode.PAID, "work-" + i, "{}", due));
            }
            awaitRows("SELECT COUNT(*) FROM callbackkit_idempotency WHERE scope = '" + CallbackNode.PAID + "'", actions);

            Map<String, Integer> runsByNode = new HashMap<>();
            try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                    "SELECT node, COUNT(*), COUNT(DISTINCT action_key) FROM node_runs GROUP BY node");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    assertThat(rows.getInt(2)).as("runs of %s, each a different action", rows.getString(1))
                            .isEqualTo(rows.getInt(3));
                    runsByNode.put(rows.getString(1), rows.getInt(2));
                }
            }
            System.out.println("TwoNodeTest: " + actions + " actions run as " + runsByNode);
            assertThat(runsByNode.values().stream().mapToInt(Integer::intValue).sum()).as("runs in all").isEqualTo(actions);
            assertThat(runsByNode).containsOnlyKeys("node-a", "node-b").allSatisfy((node, runs) -> assertThat(runs).isPositive());
            assertThat(nodeB.scheduler().health().pending()).isZero();
            nodeA.stop();
        }
    }

    @Test
    void anActionOfAKilledNodeIsRunByTheOtherAfterTheHeartbeatTimeout() throws Exception {
        Instant lastHeartbeat;
        try (NodeProcess nodeA = NodeProcess.start(LOG, "--postgres", url, "--name", "node-a", "--hang")) {
            nodeB.scheduler().schedule(new DelayedAction(CallbackNode.BLOCK, "stuck", "{}", Instant.now()));
            awaitRows("SELECT COUNT(*) FROM node_runs WHERE node = 'node-a'", 1); // A runs it and hangs
            nodeA.kill();
            lastHeartbeat = lastHeartbeat("stuck");
        }
        nodeB.start();
        awaitRows("SELECT COUNT(*) FROM node_runs WHERE node = 'node-b'", 1);

        try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT attempt, ran_at FROM node_runs WHERE node = 'node-b'"); ResultSet row = select.executeQuery()) {
            row.next();
            assertThat(row.getInt("attempt")).as("the lost run counts as the first attempt").isEqualTo(2);
            assertThat(Dialect.POSTGRESQL.getInstant(row, "ran_at")).as("run again only once A missed its heartbeats")
                    .isAfterOrEqualTo(lastHeartbeat.plus(CallbackNode.HEARTBEAT_TIMEOUT));
        }
        awaitRows("SELECT COUNT(*) FROM callbackkit_scheduled_tasks WHERE task_name = 'callbackkit.action'", 0);
        assertThat(nodeB.scheduler().dead()).isEmpty();
    }

    private Instant lastHeartbeat(String key) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT picked, picked_by, last_heartbeat FROM callbackkit_scheduled_tasks WHERE task_instance = ?")) {
            select.setString(1, DurableActionScheduler.instanceId(CallbackNode.BLOCK, key));
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getBoolean("picked")).isTrue();
                assertThat(row.getString("picked_by")).isEqualTo("node-a");
                return Dialect.POSTGRESQL.getInstant(row, "last_heartbeat");
            }
        }
    }

    /** Polls the database until {@code countSql} gives {@code expected}, for at most 60 s. */
    private void awaitRows(String countSql, int expected) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int count;
        do {
            try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(countSql);
                    ResultSet row = select.executeQuery()) {
                row.next();
                count = row.getInt(1);
            }
            if (count == expected) {
                return;
            }
            Thread.sleep(50); // polling the database for the nodes' progress, not waiting for scheduler time
        } while (System.nanoTime() - deadline < 0);
        assertThat(count).as(countSql + " at " + Clock.systemUTC().instant()).isEqualTo(expected);
    }
}
