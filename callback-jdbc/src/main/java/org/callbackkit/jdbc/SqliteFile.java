package org.callbackkit.jdbc;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The store's SQLite database file behind one connection, lent to one caller at a time, in
 * turns of arrival. SQLite has one writer at a time; one connection makes the JVM's writers take
 * turns here rather than in SQLite's busy loop. The file is in WAL mode with
 * {@code synchronous=FULL}: a commit is on disk before it returns, and a SIGKILL at any moment
 * loses nothing committed. Every transaction begins with {@code BEGIN IMMEDIATE}, taking the
 * file's write lock at its start, so that two processes on the file never fail a transaction
 * half-way; {@code busy_timeout} bounds how long one waits for another process's lock.
 *
 * <p>A caller waits for the connection at most {@link #waitAtMost(Duration) the wait}, and less
 * if its thread is interrupted (the store's watchdog does so at its connection wait); a free
 * connection is handed out even to an interrupted thread. A lent
 * connection whose caller closes it with a transaction open is rolled back. Thread-safe.
 */
final class SqliteFile implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(SqliteFile.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Path file;
    private final Semaphore turn = new Semaphore(1, true);
    private final AtomicLong commits = new AtomicLong();
    private volatile Duration wait = Duration.ofSeconds(1);
    private volatile boolean closed;
    private Connection connection; // guarded by turn

    SqliteFile(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /** How long {@link #getConnection()} waits for the connection, and a statement for another process's lock. */
    void waitAtMost(Duration wait) {
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** How many times a lent connection's {@code commit()} was called: the count of commits of tests and benchmarks. */
    long commits() {
        return commits.get();
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /**
     * The connection, once the caller before has closed it; opens the file (and its folder) the
     * first time.
     *
     * @throws SQLTransientConnectionException (08001) if it did not come within the wait, or the
     *     thread was interrupted while waiting (the interrupt status stays set)
     * @throws SQLException if the file cannot be opened, or after {@link #close()}
     */
    @Override
    public Connection getConnection() throws SQLException {
        try {
            boolean taken = Thread.currentThread().isInterrupted() ? turn.tryAcquire() // a free one, even so
                    : turn.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (!taken) {
                throw new SQLTransientConnectionException("the SQLite connection is busy for over " + wait, "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for the SQLite connection", "08001", e);
        }
        try {
            if (closed) {
                throw new SQLNonTransientConnectionException("the store's SQLite file is closed", "08003");
            }
            if (connection == null) {
                connection = open();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + wait.toMillis()); // a previous caller may have set less
            }
            return lend(connection);
        } catch (SQLException | RuntimeException e) {
            turn.release();
            throw e;
        }
    }

    private Connection open() throws SQLException {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException("cannot create the folder of " + file, "08001", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, wait.toMillis()));
        config.enforceForeignKeys(true); // none in callback-jdbc's schema; a host's own tables get SQL's rules
        config.setDateClass("INTEGER"); // db-scheduler's times: milliseconds since the epoch
        config.setDatePrecision("MILLISECONDS");
        return config.createConnection("jdbc:sqlite:" + file);
    }

    /** {@code real}, until the caller closes it: then rolled back if in a transaction, and handed to the next. */
    private Connection lend(Connection real) {
        Object[] returned = {false}; // guarded by the proxy's handler, one caller's
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    synchronized (returned) {
                        switch (method.getName()) {
                            case "close" -> {
                                if (!(boolean) returned[0]) {
                                    returned[0] = true;
                                    giveBack(real);
                                }
                                return null;
                            }
                            case "isClosed" -> {
                                return (boolean) returned[0] || real.isClosed();
                            }
                            case "equals" -> {
                                return proxy == arguments[0];
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            default -> {
                                if ((boolean) returned[0]) {
                                    throw new SQLNonTransientConnectionException("connection closed", "08003");
                                }
                                if (method.getName().equals("commit")) {
                                    commits.incrementAndGet();
                                }
                            }
                        }
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void giveBack(Connection real) throws SQLException {
        try {
            if (!real.isClosed() && !real.getAutoCommit()) {
                backToAutoCommit(real);
            }
        } finally {
            turn.release();
        }
    }

    /**
     * Rolls back whatever is open and leaves {@code real} in auto-commit, outside any transaction,
     * even where sqlite-jdbc lost track: it sets its auto-commit flag before it runs the
     * {@code BEGIN}, and begins again right after each commit and rollback, so on a file another
     * process has locked a failed {@code BEGIN} leaves the flag off with no transaction open.
     * Handed on like that, every later transaction would fail (its {@code COMMIT} finds no
     * transaction) long after the lock is gone.
     */
    private static void backToAutoCommit(Connection real) throws SQLException {
        try {
            real.rollback(); // fails with no transaction open, or in its own BEGIN after the ROLLBACK: both expected here
        } catch (SQLException expected) {
            // what is left open, if anything, the ROLLBACK below ends
        }
        try {
            real.setAutoCommit(true); // sets the flag first, then commits the empty transaction the rollback began, if it did
        } catch (SQLException expected) {
            // no transaction was open
        }
        try (Statement statement = real.createStatement()) {
            statement.execute("ROLLBACK"); // ends a transaction that the commit above could not
        } catch (SQLException noTransaction) {
            // the expected end: nothing is open
        }
        if (!real.getAutoCommit()) {
            throw new SQLException("the SQLite connection did not return to auto-commit");
        }
    }

    /** Closes the file once the connection is back (waiting up to 10 s for it). Idempotent. */
    @Override
    public void close() {
        closed = true;
        boolean back = false;
        try {
            back = turn.tryAcquire(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!back) {
            LOG.warn("The SQLite connection to {} was not given back within {}; leaving it open", file, CLOSE_WAIT);
            return;
        }
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            LOG.warn("Could not close the SQLite file {}", file, e);
        } finally {
            turn.release();
        }
    }

    /** As {@link #getConnection()}: the file has no users. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logs go to SLF4J
    }

    /** Sets the wait, in seconds (0 keeps the current one). */
    @Override
    public void setLoginTimeout(int seconds) {
        if (seconds > 0) {
            waitAtMost(Duration.ofSeconds(seconds));
        }
    }

    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, wait.toSeconds());
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("logs go to SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
