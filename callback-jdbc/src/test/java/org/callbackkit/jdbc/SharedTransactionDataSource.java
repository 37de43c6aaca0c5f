package org.callbackkit.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The crash test node's data source, so that a shop's effect and the store's idempotency mark
 * commit together: on a thread inside {@link #inTransaction}, every connection it hands out is
 * that transaction's own, and what the store does to end a transaction of its own (commit,
 * rollback, auto-commit, close) waits for the end of the outer one. Elsewhere it hands out the
 * target's connections unchanged. With SQLite's single connection this is also what lets the store
 * run while the node holds that connection.
 */
final class SharedTransactionDataSource implements DataSource {

    /** Work in the shared transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** What a joined connection leaves to the outer transaction. */
    private static final Set<String> DEFERRED = Set.of("commit", "rollback", "setAutoCommit", "close");

    private final DataSource target;
    private final ThreadLocal<Connection> shared = new ThreadLocal<>();

    SharedTransactionDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * Runs {@code work} in one transaction of the target that every connection taken on this
     * thread meanwhile joins, and commits it; rolls it back if {@code work} throws.
     *
     * @throws IllegalStateException if this thread is already in one
     */
    <T> T inTransaction(Work<T> work) throws SQLException {
        if (shared.get() != null) {
            throw new IllegalStateException("already in a shared transaction");
        }
        try (Connection connection = target.getConnection()) {
            connection.setAutoCommit(false);
            shared.set(connection);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                shared.remove();
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = shared.get();
        return connection == null ? target.getConnection() : joined(connection);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        Connection connection = shared.get();
        return connection == null ? target.getConnection(user, password) : joined(connection);
    }

    private static Connection joined(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (DEFERRED.contains(method.getName())) {
                        return null;
                    }
                    if (method.getName().equals("getAutoCommit")) {
                        return false;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }
}
