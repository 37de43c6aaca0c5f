package org.callbackkit.jdbc;

import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.SqliteJdbcCustomization;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;

/** What differs between the two databases callback-jdbc runs on. */
enum Dialect {

    /**
     * SQLite in a file: one node, one writer at a time. db-scheduler fetches due rows, then claims
     * each by its version. Times are INTEGER milliseconds since the epoch, as db-scheduler's
     * {@link SqliteJdbcCustomization} writes them in its own columns.
     */
    SQLITE("sqlite", false, 1, new SqliteJdbcCustomization()) {
        /** SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock (5 and 6, the low byte of every extended code). */
        private static final Set<Integer> RETRYABLE_CODES = Set.of(5, 6);

        @Override
        boolean isRetryable(SQLException e) {
            for (SQLException next = e; next != null; next = next.getNextException()) {
                if (RETRYABLE_CODES.contains(next.getErrorCode() & 0xff)) { // sqlite-jdbc gives no SQLSTATE
                    return true;
                }
            }
            return false;
        }

        @Override
        String forUpdate() {
            return ""; // a transaction holds the database's write lock from its start (BEGIN IMMEDIATE)
        }

        /**
         * Waits for the database's write lock at most {@code within} ({@code busy_timeout}, which
         * then bounds the connection's transaction too), takes it and lets it go at once; a
         * connection already in a transaction is taken as it is.
         */
        @Override
        void awaitWritable(Connection connection, Duration within) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + Math.max(1, within.toMillis()));
                if (connection.getAutoCommit()) {
                    statement.execute("BEGIN IMMEDIATE");
                    statement.execute("ROLLBACK");
                }
            }
        }
    },

    /** PostgreSQL: many nodes claim due rows with one UPDATE ... FOR UPDATE SKIP LOCKED. */
    POSTGRESQL("postgresql", true, 2, new PostgreSqlJdbcCustomization(false, false)) {
        /** SQLSTATEs after which a transaction is worth running again: unique violation, serialization failure, deadlock. */
        private static final Set<String> RETRYABLE_STATES = Set.of("23505", "40001", "40P01");

        @Override
        boolean isRetryable(SQLException e) {
            for (SQLException next = e; next != null; next = next.getNextException()) {
                String state = next.getSQLState(); // null for many pool and driver errors; Set.of(...) refuses null
                if (state != null && RETRYABLE_STATES.contains(state)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        void awaitWritable(Connection connection, Duration within) {
            // a row lock is waited for by the statement that needs it
        }
    };

    private final String schemaDirectory;
    private final boolean lockAndFetch;
    private final int sharedTransactionWriters;
    private final JdbcCustomization schedulerCustomization;

    Dialect(String schemaDirectory, boolean lockAndFetch, int sharedTransactionWriters,
            JdbcCustomization schedulerCustomization) {
        this.schemaDirectory = schemaDirectory;
        this.lockAndFetch = lockAndFetch;
        this.sharedTransactionWriters = sharedTransactionWriters;
        this.schedulerCustomization = schedulerCustomization;
    }

    /**
     * The dialect of the database behind {@code dataSource}.
     *
     * @throws IllegalStateException if it is neither SQLite nor PostgreSQL, or cannot be reached
     */
    static Dialect of(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to find out what it is", e);
        }
        return switch (product) {
            case "SQLite" -> SQLITE;
            case "PostgreSQL" -> POSTGRESQL;
            default -> throw new IllegalStateException(
                    "callback-jdbc runs on SQLite and PostgreSQL, not on " + product);
        };
    }

    /** How db-scheduler binds times and task data, and claims due rows, on this database. */
    JdbcCustomization schedulerCustomization() {
        return schedulerCustomization;
    }

    /** How many shared transactions ({@link GroupCommit}) may be written at once. */
    int sharedTransactionWriters() {
        return sharedTransactionWriters;
    }

    /** Whether db-scheduler polls with lock-and-fetch (SKIP LOCKED) rather than fetch-then-claim. */
    boolean lockAndFetch() {
        return lockAndFetch;
    }

    /** The classpath folder of this database's versioned schema scripts. */
    String schemaResource(String fileName) {
        return "/org/callbackkit/jdbc/schema/" + schemaDirectory + "/" + fileName;
    }

    /**
     * Whether a transaction that failed with {@code e} may succeed if run again (a race with
     * another). An error without an SQLSTATE or code, such as HikariCP's pool timeout, is not a race.
     */
    abstract boolean isRetryable(SQLException e);

    /** What ends a SELECT that locks the rows it reads until the transaction ends. */
    abstract String forUpdate();

    /**
     * Returns once {@code connection} can write, within about {@code within}.
     *
     * @throws SQLException if it cannot (another process holds the database's write lock)
     */
    abstract void awaitWritable(Connection connection, Duration within) throws SQLException;

    /**
     * Binds an instant (null stays null) as db-scheduler binds the times of its own table on this
     * database, so that our columns and its columns compare alike: UTC {@code TIMESTAMP WITH TIME
     * ZONE} on PostgreSQL, INTEGER milliseconds on SQLite.
     */
    void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        schedulerCustomization.setInstant(statement, index, instant);
    }

    /** Reads a time that {@link #setInstant} wrote; null stays null. */
    Instant getInstant(ResultSet row, String column) throws SQLException {
        return schedulerCustomization.getInstant(row, column);
    }
}
