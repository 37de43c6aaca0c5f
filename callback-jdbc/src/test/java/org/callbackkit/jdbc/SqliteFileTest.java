package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's one SQLite connection: set up for durability, lent to one caller at a time, handed back clean. */
class SqliteFileTest {

    @TempDir
    Path dir;

    @Test
    void theFileIsCreatedWithItsFolderInWalModeWithFullSync() throws SQLException {
        try (SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("data/shop.db"));
                Connection connection = file.getConnection()) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "synchronous")).as("FULL").isEqualTo("2");
            assertThat(dir.resolve("data/shop.db")).exists();
        }
    }

    @Test
    void aCallerWaitsAtMostTheWaitWhileAnotherHoldsTheConnection() throws SQLException {
        try (SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("shop.db"))) {
            file.waitAtMost(Duration.ofMillis(50));
            try (Connection held = file.getConnection()) {
                assertThatThrownBy(file::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("busy");
            }
            try (Connection next = file.getConnection()) {
                assertThat(next.isValid(1)).as("handed on once closed").isTrue();
            }
        }
    }

    /**
     * sqlite-jdbc sets its auto-commit flag before it runs the BEGIN, and begins again right after
     * each commit and rollback: on a file another process has locked, those BEGINs fail and leave
     * the flag off with no transaction open. Handed on like that, every later transaction failed
     * (its COMMIT found no transaction) long after the lock was gone: OutageTest's locked file
     * answered 503 for good, once in a while.
     */
    @Test
    void aConnectionLeftWithoutItsTransactionByALockedFileIsHandedOnWorking() throws SQLException {
        try (SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("shop.db"))) {
            try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (v INTEGER)");
            }
            try (Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shop.db"));
                    Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                Connection caught = file.getConnection();
                try (Statement statement = caught.createStatement()) {
                    statement.execute("PRAGMA busy_timeout = 1");
                }
                assertThatThrownBy(() -> caught.setAutoCommit(false)).isInstanceOf(SQLException.class);
                assertThat(caught.getAutoCommit()).as("the driver's flag, with no transaction behind it").isFalse();
                caught.close();
                lock.execute("ROLLBACK");
            }
            try (Connection next = file.getConnection()) {
                assertThat(next.getAutoCommit()).isTrue();
                next.setAutoCommit(false);
                try (Statement statement = next.createStatement()) {
                    statement.execute("INSERT INTO t VALUES (1)");
                }
                next.commit();
                next.setAutoCommit(true);
                try (Statement statement = next.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(1)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void aConnectionClosedInATransactionIsRolledBackAndHandedOnInAutoCommit() throws SQLException {
        try (SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("shop.db"))) {
            try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (v INTEGER)");
            }
            Connection careless = file.getConnection();
            careless.setAutoCommit(false);
            try (Statement statement = careless.createStatement()) {
                statement.execute("INSERT INTO t VALUES (1)");
            }
            careless.close();
            careless.close(); // twice: no harm, and the next caller's connection stays its own
            assertThat(careless.isClosed()).isTrue();
            assertThatThrownBy(careless::createStatement).isInstanceOf(SQLException.class);

            try (Connection next = file.getConnection(); Statement statement = next.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                assertThat(next.getAutoCommit()).isTrue();
                rows.next();
                assertThat(rows.getInt(1)).as("rolled back").isZero();
            }
        }
    }

    @Test
    void aClosedFileHandsOutNothing() {
        SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("shop.db"));
        file.close();
        assertThatThrownBy(file::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
