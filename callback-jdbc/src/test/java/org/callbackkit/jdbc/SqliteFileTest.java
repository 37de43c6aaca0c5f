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
