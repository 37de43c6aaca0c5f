package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.sql.DataSource;
import org.callbackkit.core.state.InMemoryKeyedLocks;
import org.callbackkit.core.state.KeyedLocks;
import org.callbackkit.core.state.StateStore;

/**
 * The guard the provider modules had before the reconciliation engine, wired in deliberately to
 * show that the multi-node test catches it: a lock per JVM around check (read), act (the update,
 * with its listener), record (write). Two nodes each hold their own lock, so both can read "not
 * settled" and both tell the shop. Never use it outside that test.
 *
 * <p>Whether two nodes' checks of one order overlap by chance depends on how fast the rest of the
 * store answers (the test saw from 0 to 61 double payments of 1,500 orders in one day's runs, and 0
 * fails it). So after its check a node waits, at most {@link #MEETING_WAIT}, until the other node
 * has checked the same order too ({@value #MEETINGS}, in the shared database): the interleaving
 * per-JVM locks allow, made to happen for every order that both nodes settle.
 */
final class PerJvmLockedStateStore implements StateStore {

    static final String MEETINGS = "test_per_jvm_checks";
    private static final Duration MEETING_WAIT = Duration.ofSeconds(5);

    private final StateStore shared;
    private final DataSource pool;
    private final String node;
    private final KeyedLocks locks = new InMemoryKeyedLocks();

    PerJvmLockedStateStore(StateStore shared, DataSource pool, String node) throws SQLException {
        this.shared = shared;
        this.pool = pool;
        this.node = node;
        try (Connection connection = pool.getConnection(); PreparedStatement create = connection.prepareStatement(
                "CREATE TABLE IF NOT EXISTS " + MEETINGS + " (subject VARCHAR(300) NOT NULL, node VARCHAR(100) NOT NULL,"
                        + " PRIMARY KEY (subject, node))")) {
            create.execute();
        }
    }

    @Override
    public String update(String scope, String key, Function<Optional<String>, String> update) {
        String subject = scope + "\n" + key;
        return locks.withLock(subject, () -> {
            Optional<String> checked = shared.find(scope, key);
            meetTheOtherNode(subject);
            String after = update.apply(checked);
            return shared.update(scope, key, ignored -> after);
        });
    }

    @Override
    public Optional<String> find(String scope, String key) {
        return shared.find(scope, key);
    }

    /** Says this node checked {@code subject}, then waits until another node did too, or the wait is over. */
    private void meetTheOtherNode(String subject) {
        long deadline = System.nanoTime() + MEETING_WAIT.toNanos();
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement checked = connection.prepareStatement(
                    "INSERT INTO " + MEETINGS + " (subject, node) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                checked.setString(1, subject);
                checked.setString(2, node);
                checked.executeUpdate();
            }
            try (PreparedStatement other = connection.prepareStatement(
                    "SELECT 1 FROM " + MEETINGS + " WHERE subject = ? AND node <> ?")) {
                other.setString(1, subject);
                other.setString(2, node);
                while (System.nanoTime() < deadline) {
                    try (ResultSet found = other.executeQuery()) {
                        if (found.next()) {
                            return;
                        }
                    }
                    LockSupport.parkNanos(Duration.ofMillis(1).toNanos()); // between polls of the other node's row
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot meet the other node over " + subject, e);
        }
    }
}
