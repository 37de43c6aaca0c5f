package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections, transactions and errors, once for the scheduler, journal and idempotency store.
 * A database that cannot be reached or cannot commit becomes a {@link TemporarilyUnavailableException}
 * (the router answers 503 with {@code Retry-After}); a transaction that lost a race with another
 * one (a duplicate key, a serialization failure, a deadlock) is run again a few times first.
 * Connections are waited for at most the connection wait ({@link BoundedConnections}), whatever
 * the pool's own timeout.
 */
final class Jdbc implements AutoCloseable {

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    private static final int MAX_TRANSACTION_RUNS = 5;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Duration retryAfter;
    private final BoundedConnections connections;
    private final GroupCommit group;

    Jdbc(DataSource dataSource, Dialect dialect, Duration retryAfter, Duration connectionWait) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.connections = new BoundedConnections(dataSource, Objects.requireNonNull(connectionWait, "connectionWait"),
                dialect);
        this.group = new GroupCommit(connections::get, connectionWait, dialect.sharedTransactionWriters());
    }

    DataSource dataSource() {
        return dataSource;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Whether the last attempt to get a connection failed and none succeeded since: work that can wait should. */
    boolean knownDown() {
        return connections.knownDown();
    }

    /** Whether a connection that can write comes within the connection wait and answers; never throws. */
    boolean reachable() {
        try (Connection connection = connections.get()) {
            return connection.isValid((int) Math.max(1, connections.bound().toSeconds()));
        } catch (SQLException e) {
            LOG.debug("Database unreachable", e);
            return false;
        }
    }

    /** Lets the threads that wait for connections end; the data source stays open. */
    @Override
    public void close() {
        connections.close();
    }

    /**
     * Runs {@code work} in one transaction and commits it; returns only once the commit succeeded.
     *
     * @throws TemporarilyUnavailableException if the database cannot be reached or cannot commit
     */
    <T> T inTransaction(String what, Work<T> work) {
        for (int run = 1; ; run++) {
            try {
                return runInTransaction(work);
            } catch (SQLException e) {
                if (run < MAX_TRANSACTION_RUNS && dialect.isRetryable(e)) {
                    LOG.debug("{}: transaction lost a race ({}), running it again", what, code(e));
                    continue;
                }
                throw unavailable(what, e);
            }
        }
    }

    /**
     * Like {@link #inTransaction}, for the short writes of a callback being acknowledged:
     * {@code work} runs in a transaction shared with other threads' works, one commit for all
     * ({@link GroupCommit}). Returns only once the transaction that holds {@code work} is
     * committed. If {@code work} throws, only its own writes are rolled back. {@code work} must
     * not wait for other threads or call anything but the database (it holds the transaction for
     * the others), and may run again after a rollback.
     *
     * @throws TemporarilyUnavailableException if the database cannot be reached or cannot commit
     */
    <T> T inSharedTransaction(String what, Work<T> work) {
        return inSharedTransaction(what, work, false);
    }

    /**
     * Like {@link #inSharedTransaction(String, Work)}, for a work that is one statement: written
     * alone (no other caller's work waits), it runs in auto-commit, one round trip instead of a
     * transaction's two ({@link GroupCommit#run(Work, boolean)}).
     *
     * @throws TemporarilyUnavailableException as {@link #inSharedTransaction(String, Work)}
     */
    <T> T inSharedTransaction(String what, Work<T> work, boolean oneStatement) {
        for (int run = 1; ; run++) {
            try {
                return group.run(work, oneStatement);
            } catch (SQLException e) {
                if (run < MAX_TRANSACTION_RUNS && dialect.isRetryable(e)) {
                    LOG.debug("{}: transaction lost a race ({}), running it again", what, code(e));
                    continue;
                }
                throw unavailable(what, e);
            }
        }
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode, so that each statement commits by
     * itself; a connection the pool hands out with auto-commit off gets it back that way.
     *
     * @throws TemporarilyUnavailableException if the database cannot be reached or fails
     */
    <T> T withConnection(String what, Work<T> work) {
        try {
            return inAutoCommit(work);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /**
     * Like {@link #withConnection}, for work that a transaction can also do: returns
     * {@code ifRaced} where {@link #inTransaction} would run it again, so that the caller can.
     *
     * @throws TemporarilyUnavailableException if the database cannot be reached or fails otherwise
     */
    <T> T withConnectionOr(String what, T ifRaced, Work<T> work) {
        try {
            return inAutoCommit(work);
        } catch (SQLException e) {
            if (dialect.isRetryable(e)) {
                LOG.debug("{}: statement lost a race ({}), leaving it to a transaction", what, code(e));
                return ifRaced;
            }
            throw unavailable(what, e);
        }
    }

    private <T> T inAutoCommit(Work<T> work) throws SQLException {
        try (Connection connection = connections.get()) {
            return inAutoCommitOn(connection, work);
        }
    }

    /** Runs {@code work} on {@code connection} in auto-commit; the connection's auto-commit is as it came afterwards. */
    static <T> T inAutoCommitOn(Connection connection, Work<T> work) throws SQLException {
        if (connection.getAutoCommit()) {
            return work.run(connection);
        }
        connection.setAutoCommit(true);
        try {
            return work.run(connection);
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private <T> T runInTransaction(Work<T> work) throws SQLException {
        try (Connection connection = connections.get()) {
            return inTransactionOn(connection, work);
        }
    }

    /**
     * Runs {@code work} on {@code connection} in one transaction and commits it, or rolls it back
     * and rethrows; the connection's auto-commit is as it came afterwards.
     */
    static <T> T inTransactionOn(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        }
    }

    private TemporarilyUnavailableException unavailable(String what, SQLException e) {
        return new TemporarilyUnavailableException("database unavailable: " + what + " (" + code(e) + ")", retryAfter,
                e);
    }

    /** The SQLSTATE of {@code e}, or its error code where there is none (SQLite's). */
    private static String code(SQLException e) {
        String state = e.getSQLState();
        return state != null ? "SQLSTATE " + state : e.getErrorCode() != 0 ? "error code " + e.getErrorCode()
                : "no SQLSTATE";
    }

    /** What work that failed with {@code e} outside this class (db-scheduler's own) throws. */
    TemporarilyUnavailableException unavailable(String what, RuntimeException e) {
        return new TemporarilyUnavailableException("database unavailable: " + what + " (" + e.getMessage() + ")",
                retryAfter, e);
    }
}
