package org.callbackkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE callbackkit_scheduled_tasks, callbackkit_dead_actions, callbackkit_journal,"
                    + " callbackkit_idempotency, callbackkit_state");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
