package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL snippet of docs/durable-storage.md, run on the PostgreSQL the build starts. */
@ExtendWith(PostgresServer.Extension.class)
class PostgresSnippetTest {

    @Test
    void theDocumentedPoolAndStoreStart(PostgresServer postgres) {
        String jdbcUrl = postgres.newDatabase("docs");
        String user = "postgres";
        String password = "";
        // tag::postgresql[]
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);     // e.g. jdbc:postgresql://db.internal:5432/shop
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(12);  // threads (4) + 3 for polling and heartbeats + callbacks answered at once (5)
        JdbcCallbackStore store = JdbcCallbackStore.builder(new HikariDataSource(pool))
                .nodeName("shop-1")   // shown in picked_by and the logs; default the host name
                .build();
        // end::postgresql[]
        try (store) {
            store.start();
            assertThat(store.health().databaseUp()).isTrue();
        } finally {
            ((HikariDataSource) store.dataSource()).close();
        }
    }
}
