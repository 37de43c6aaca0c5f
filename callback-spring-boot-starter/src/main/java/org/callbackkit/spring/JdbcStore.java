package org.callbackkit.spring;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.callbackkit.jdbc.StoreHealth;

/**
 * {@code callbackkit.store.type=file} or {@code datasource}: callback-jdbc's durable store. Only
 * this class names callback-jdbc, so the starter runs without it when the store is in memory.
 */
final class JdbcStore implements ManagedStore {

    private final String type;
    private final JdbcCallbackStore store;

    private JdbcStore(String type, JdbcCallbackStore.Builder builder, CallbackKitProperties.Store properties,
            Clock clock) {
        this.type = type;
        this.store = builder.clock(clock)
                .threads(properties.getThreads())
                .pollInterval(properties.getPollInterval())
                .overdueAfter(properties.getOverdueAfter())
                .createSchema(properties.isCreateSchema())
                .build();
    }

    /** The store in an embedded database file, one node. */
    static CallbackKitStore file(Path file, CallbackKitProperties.Store properties, Clock clock) {
        return new JdbcStore("file", embeddedFile(file), properties, clock);
    }

    /** The store in the application's data source, which stays the application's to close. */
    static CallbackKitStore dataSource(DataSource dataSource, CallbackKitProperties.Store properties, Clock clock) {
        return new JdbcStore("datasource", JdbcCallbackStore.builder(dataSource), properties, clock);
    }

    /** The one place that names the embedded engine behind {@code callbackkit.store.type=file}. */
    private static JdbcCallbackStore.Builder embeddedFile(Path file) {
        return JdbcCallbackStore.sqlite(file);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public DelayedActionScheduler scheduler() {
        return store.scheduler();
    }

    @Override
    public CallbackJournal journal() {
        return store.journal();
    }

    @Override
    public StateStore stateStore() {
        return store.stateStore();
    }

    @Override
    public IdempotencyStore idempotencyStore() {
        return store.idempotencyStore();
    }

    @Override
    public boolean reachable() {
        return store.health().databaseUp();
    }

    @Override
    public Map<String, Object> details() {
        StoreHealth health = store.health();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("databaseUp", health.databaseUp());
        details.put("journalSpooled", health.journalSpooled());
        details.put("journalDropped", health.journalDropped());
        details.put("unrecordedActionEnds", health.unrecordedActionEnds());
        return details;
    }

    @Override
    public int runDue() {
        return store.runDue();
    }

    @Override
    public void start() {
        store.start();
    }

    @Override
    public void close() {
        store.close();
    }
}
