package org.callbackkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contracts on the real PostgreSQL the build starts: one database, emptied before every test. */
@ExtendWith(PostgresServer.Extension.class)
class PostgresStoreContractsTest extends StoreContracts {

    private static HikariDataSource pool;

    @BeforeAll
    static void createDatabase(PostgresServer postgres) {
        pool = PostgresServer.pool(postgres.newDatabase("contracts"), 12);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Override
    JdbcCallbackStore.Builder storeBuilder() {
        return JdbcCallbackStore.builder(pool);
    }

    @Override
    void emptied(JdbcCallbackStore store) {
        truncateTables(pool);
    }

    /** Empties every table of the store in {@code database}. */
    static void truncateTables(DataSource database) {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE callbackkit_scheduled_tasks, callbackkit_dead_actions, callbackkit_journal,"
                    + " callbackkit_idempotency, callbackkit_state, callbackkit_order_activity");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
