package org.callbackkit.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contracts on H2 in a file, a new file for every test. */
class H2StoreContractsTest extends StoreContracts {

    @TempDir
    Path dir;

    @Override
    JdbcCallbackStore.Builder storeBuilder() {
        return JdbcCallbackStore.h2(dir.resolve("callbacks"));
    }
}
