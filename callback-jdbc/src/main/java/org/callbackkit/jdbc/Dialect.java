package org.callbackkit.jdbc;

import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;

/** What differs between the two databases callback-jdbc runs on. */
enum Dialect {

    /** H2 in a file: one node; db-scheduler fetches due rows, then claims each by its version. */
    H2("h2", false) {
        @Override
        JdbcCustomization schedulerCustomization() {
            return new DefaultJdbcCustomization(false);
        }

        @Override
        String insertIdempotencyKey() {
            // a duplicate fails with 23505, which the store reads as "already done"
            return "INSERT INTO callbackkit_idempotency (scope, idem_key, done_at) VALUES (?, ?, ?)";
        }
    },

    /** PostgreSQL: many nodes claim due rows with one UPDATE ... FOR UPDATE SKIP LOCKED. */
    POSTGRESQL("postgresql", true) {
        @Override
        JdbcCustomization schedulerCustomization() {
            return new PostgreSqlJdbcCustomization(false, false);
        }

        @Override
        String insertIdempotencyKey() {
            // no error on a duplicate, so nothing aborts and nothing is logged by the server
            return "INSERT INTO callbackkit_idempotency (scope, idem_key, done_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT DO NOTHING";
        }
    };

    /** SQLSTATEs after which a transaction is worth running again: unique violation, serialization failure, deadlock. */
    private static final Set<String> RETRYABLE_STATES = Set.of("23505", "40001", "40P01");
    /** H2's own codes for a concurrent update of the same row and a lock timeout. */
    private static final Set<Integer> H2_RETRYABLE_CODES = Set.of(90131, 50200);

    private final String schemaDirectory;
    private final boolean lockAndFetch;

    Dialect(String schemaDirectory, boolean lockAndFetch) {
        this.schemaDirectory = schemaDirectory;
        this.lockAndFetch = lockAndFetch;
    }

    /**
     * The dialect of the database behind {@code dataSource}.
     *
     * @throws IllegalStateException if it is neither H2 nor PostgreSQL, or cannot be reached
     */
    static Dialect of(DataSource dataSource) {
        String product;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to find out what it is", e);
        }
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRESQL;
            default -> throw new IllegalStateException(
                    "callback-jdbc runs on H2 and PostgreSQL, not on " + product);
        };
    }

    /** How db-scheduler binds times and task data, and claims due rows, on this database. */
    abstract JdbcCustomization schedulerCustomization();

    /** Inserts (scope, key, done_at) unless present: 1 row if inserted; 0 or a 23505 if present. */
    abstract String insertIdempotencyKey();

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
     * another). An error without an SQLSTATE, such as HikariCP's pool timeout, is not a race.
     */
    static boolean isRetryable(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState(); // null for many pool and driver errors; Set.of(...) refuses null
            if (state != null && RETRYABLE_STATES.contains(state) || H2_RETRYABLE_CODES.contains(next.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} is a unique-key violation; false for an error without an SQLSTATE. */
    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
