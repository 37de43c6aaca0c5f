package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Benchmark 2's count of the transactions a database committed, to tell how many one callback
 * costs. It sits in callback-jdbc's package to read the store's SQLite file, which is package-private.
 */
public final class CommitCounts {

    private CommitCounts() {
    }

    /**
     * A counter of the write transactions committed in {@code store}'s database, by anyone, that
     * only grows: on PostgreSQL the next transaction id (one is assigned to each transaction that
     * writes, and each such commit flushes the WAL; reading it assigns none); on the SQLite file
     * of {@link JdbcCallbackStore#sqlite} the {@code commit()} calls on its connection (every
     * write there is in a transaction). Subtract two readings.
     *
     * @throws IllegalStateException if the database cannot be read, or is SQLite behind a data
     *     source other than the store's own file
     */
    public static long committed(JdbcCallbackStore store) {
        if (store.dataSource() instanceof SqliteFile file) {
            return file.commits();
        }
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            row.next();
            return Long.parseLong(row.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the next transaction id", e);
        }
    }
}
