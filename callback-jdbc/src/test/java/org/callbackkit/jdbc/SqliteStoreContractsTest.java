package org.callbackkit.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contracts on SQLite in a file, a new file for every test. */
class SqliteStoreContractsTest extends StoreContracts {

    @TempDir
    Path dir;

    @Override
    JdbcCallbackStore.Builder storeBuilder() {
        return JdbcCallbackStore.sqlite(dir.resolve("callbacks.db"));
    }
}
