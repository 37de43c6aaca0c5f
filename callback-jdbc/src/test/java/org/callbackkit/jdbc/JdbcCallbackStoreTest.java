package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.schedule.ActionQuery;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the contracts do not cover: retention, the schema, limits, the builder's checks, restarts. */
@ExtendWith(PostgresServer.Extension.class)
class JdbcCallbackStoreTest {

    private final MutableClock clock = MutableClock.atFixedStart();

    @TempDir
    Path dir;

    @Test
    void journalRetentionRunsAsARecurringTaskByAgeAndByCount() {
        retentionRunsAsARecurringTask(JdbcCallbackStore.sqlite(dir.resolve("db")), clock);
    }

    /** The retention test on the (empty) database of {@code builder}, for other data sources too. */
    static void retentionRunsAsARecurringTask(JdbcCallbackStore.Builder builder, MutableClock clock) {
        try (JdbcCallbackStore store = builder.clock(clock).threads(0)
                .journalRetention(Duration.ofDays(1), 3).journalCleanupInterval(Duration.ofMinutes(10)).build()) {
            store.start();
            Instant now = clock.instant();
            store.journal().record(entry("old-1", now.minus(Duration.ofDays(3))));
            store.journal().record(entry("old-2", now.minus(Duration.ofDays(2))));
            for (int i = 1; i <= 4; i++) {
                store.journal().record(entry("new-" + i, now.minus(Duration.ofMinutes(10 - i))));
            }

            store.runDue(); // the cleaner's first run is due at start
            assertThat(ids(store)).containsExactly("new-4", "new-3", "new-2");

            store.journal().record(entry("new-5", now));
            store.runDue();
            assertThat(ids(store)).as("not due again before the interval").hasSize(4);
            clock.advance(Duration.ofMinutes(10));
            store.runDue();
            assertThat(ids(store)).containsExactly("new-5", "new-4", "new-3");

            // the orders' API calls and action runs: by age and by count alike
            store.journal().recordActivity(call("4711", now.minus(Duration.ofDays(2))));
            for (int i = 1; i <= 4; i++) {
                store.journal().recordActivity(call("4711", clock.instant().minus(Duration.ofMinutes(10 - i))));
            }
            assertThat(store.journal().findActivity("4711", 10)).hasSize(5);
            clock.advance(Duration.ofMinutes(10));
            store.runDue();
            assertThat(store.journal().findActivity("4711", 10)).extracting(OrderActivity::at).containsExactly(
                    clock.instant().minus(Duration.ofMinutes(16)), clock.instant().minus(Duration.ofMinutes(17)),
                    clock.instant().minus(Duration.ofMinutes(18)));
        }
    }

    static OrderActivity call(String order, Instant at) {
        return OrderActivity.apiCall(order, at, "klarna", "GET /ordermanagement/v1/orders/{id}", 200, null,
                Duration.ofMillis(40));
    }

    @Test
    void anOrdersRunsAndCallsRecordedOnOneNodeAreReadOnAnother(PostgresServer postgres) {
        String url = postgres.newDatabase("activity");
        List<OrderActivity> seenByA = new ArrayList<>();
        try (var poolA = PostgresServer.pool(url, 3); var poolB = PostgresServer.pool(url, 3);
                JdbcCallbackStore nodeA = JdbcCallbackStore.builder(poolA).clock(clock).threads(0).build();
                JdbcCallbackStore nodeB = JdbcCallbackStore.builder(poolB).clock(clock).threads(0).build()) {
            Reconciler<String, String, String> engine = Reconciler.builder(new NoShopOrderYet()).scheduler(nodeA.scheduler())
                    .stateStore(nodeA.stateStore()).clock(clock).retries(RetrySchedule.fixed(Duration.ofMinutes(1), 3))
                    .journal(activity -> {
                        seenByA.add(activity);
                        nodeA.journal().recordActivity(activity);
                    }).build();
            nodeA.start();
            engine.accept("4711", Optional.empty());
            nodeA.runDue();

            assertThat(nodeB.journal().findActivity("4711", 10)).as("read from the database, not node A's memory")
                    .containsExactlyElementsOf(seenByA).singleElement().satisfies(run -> {
                        assertThat(run.kind()).isEqualTo(OrderActivity.Kind.ACTION_RUN);
                        assertThat(run.source()).isEqualTo("toy.orders");
                        assertThat(run.result()).isEqualTo("failed");
                        assertThat(run.error()).isEqualTo("no shop order yet");
                        assertThat(run.nextAttempt()).as("as the durable scheduler decided it")
                                .contains(nodeB.scheduler().pending().get(0).action().runAt());
                    });
            assertThat(nodeB.journal().findActivity("4712", 10)).isEmpty();
        }
    }

    /** A provider whose order the shop never has: every run waits. */
    private static final class NoShopOrderYet implements OrderFlow<String, String, String> {
        @Override
        public String name() {
            return "toy.orders";
        }

        @Override
        public Optional<String> findShopOrder(String key, Optional<String> hint) {
            return Optional.empty();
        }

        @Override
        public String fetch(String key) {
            return "PAID";
        }

        @Override
        public Decision<String> decide(String remote, Optional<String> shopOrder, OrderState state) {
            return Decision.waitFor("no shop order yet");
        }

        @Override
        public void tell(String event, String remote, String shopOrder, Source source) {
            throw new AssertionError("never told");
        }
    }

    @Test
    void aReferenceRowLeftByAPartialWriteDoesNotStopTheJournal() throws SQLException {
        Instant at = clock.instant();
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(dir.resolve("db")).clock(clock).threads(0).build()) {
            try (Connection connection = store.dataSource().getConnection();
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO callbackkit_journal_references"
                            + " (reference, received_at, entry_id) VALUES ('order-1', ?, 'e-1')")) {
                Dialect.SQLITE.setInstant(insert, 1, at); // what a write of the reference alone left
                insert.executeUpdate();
            }
            JournalEntry entry = new JournalEntry("e-1", at, "klarna", "push", CallbackOutcome.ACCEPTED, 200,
                    Duration.ofMillis(2), "203.0.113.7", "POST", "/klarna/push", Map.of(), Map.of(), 0, "",
                    List.of("order-1"));

            store.journal().record(entry);
            store.journal().record(entry("e-2", at.plusSeconds(1)));

            assertThat(store.health().journalSpooled()).as("nothing waits in memory").isZero();
            assertThat(store.journal().find(JournalQuery.builder().orderReference("order-1").build()))
                    .extracting(JournalEntry::id).containsExactly("e-1");
            assertThat(ids(store)).containsExactly("e-2", "e-1");
        }
    }

    @Test
    void retentionDeletesInBatchesWithTheReferencesAndTheOrphansOfACrash() throws SQLException {
        retentionDeletesInBatches(JdbcCallbackStore.sqlite(dir.resolve("db")), clock);
    }

    @Test
    void retentionDeletesInBatchesOnPostgresql(PostgresServer postgres) throws SQLException {
        try (var pool = PostgresServer.pool(postgres.newDatabase("retention"), 3)) {
            retentionDeletesInBatches(JdbcCallbackStore.builder(pool), clock);
        }
    }

    /**
     * Retention in batches of 2: by age over several batches (the last one short), then by count
     * over several, each entry with its order reference, and a reference older than the age
     * whose entry was never written (a crash between the two inserts); the rest stay findable.
     */
    private static void retentionDeletesInBatches(JdbcCallbackStore.Builder builder, MutableClock clock)
            throws SQLException {
        try (JdbcCallbackStore store = builder.clock(clock).threads(0).journalRetention(Duration.ofDays(1), 4).build()) {
            Instant now = clock.instant();
            for (int i = 1; i <= 5; i++) {
                store.journal().record(ordered("old-" + i, now.minus(Duration.ofDays(3)).plusSeconds(i)));
            }
            for (int i = 1; i <= 9; i++) {
                store.journal().record(ordered("new-" + i, now.minus(Duration.ofMinutes(20 - i))));
            }
            Dialect dialect = Dialect.of(store.dataSource());
            try (Connection connection = store.dataSource().getConnection();
                    PreparedStatement orphan = connection.prepareStatement("INSERT INTO callbackkit_journal_references"
                            + " (reference, received_at, entry_id) VALUES ('order-lost', ?, 'lost')")) {
                dialect.setInstant(orphan, 1, now.minus(Duration.ofDays(2)));
                orphan.executeUpdate();
            }

            assertThat(((JdbcCallbackJournal) store.journal()).applyRetention(2)).isEqualTo(5 + 5);

            assertThat(ids(store)).containsExactly("new-9", "new-8", "new-7", "new-6");
            assertThat(store.journal().find(JournalQuery.builder().orderReference("order-new-6").build()))
                    .extracting(JournalEntry::id).containsExactly("new-6");
            try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT reference FROM callbackkit_journal_references"
                            + " ORDER BY reference")) {
                List<String> references = new ArrayList<>();
                while (rows.next()) {
                    references.add(rows.getString(1));
                }
                assertThat(references).as("the deleted entries' and the orphan's references are gone")
                        .containsExactly("order-new-6", "order-new-7", "order-new-8", "order-new-9");
            }
            assertThat(((JdbcCallbackJournal) store.journal()).applyRetention(2)).as("nothing left to delete").isZero();
        }
    }

    private static JournalEntry ordered(String id, Instant receivedAt) {
        return new JournalEntry(id, receivedAt, "klarna", "push", CallbackOutcome.ACCEPTED, 200, Duration.ofMillis(2),
                "203.0.113.7", "POST", "/klarna/push/" + id, Map.of(), Map.of(), 0, "", List.of("order-" + id));
    }

    @Test
    void pendingActionsAndTheirFollowUpsSurviveAStoreRestart() {
        Path file = dir.resolve("db");
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            store.scheduler().register("t", context -> {
                // news for the same key while it runs: kept in the running row
                DelayedAction news = new DelayedAction("t", "k", "{\"v\":2}", clock.instant().plus(Duration.ofMinutes(5)));
                assertThat(store.scheduler().schedule(news)).isTrue();
                return ActionResult.retryAfter(Duration.ofMinutes(1), "not yet");
            });
            store.start();
            store.scheduler().schedule(new DelayedAction("t", "k", "{\"v\":1}", clock.instant()));
            store.runDue();
        }
        try (JdbcCallbackStore restarted = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            assertThat(restarted.scheduler().pending()).singleElement().satisfies(pending -> {
                assertThat(pending.action().payload()).as("the follow-up took over").isEqualTo("{\"v\":2}");
                assertThat(pending.action().runAt()).as("no later than the retry").isEqualTo(
                        clock.instant().plus(Duration.ofMinutes(1)));
                assertThat(pending.attempts()).isZero();
                assertThat(pending.lastError()).contains("not yet");
            });
            StringBuilder ran = new StringBuilder();
            restarted.scheduler().register("t", context -> {
                ran.append(context.payload());
                return ActionResult.done();
            });
            restarted.start();
            clock.advance(Duration.ofMinutes(1));
            assertThat(restarted.runDue()).isEqualTo(1);
            assertThat(ran).hasToString("{\"v\":2}");
            assertThat(restarted.scheduler().pending()).isEmpty();
        }
    }

    @Test
    void theSchemaIsCreatedOnceAndRecorded() throws SQLException {
        Path file = dir.resolve("db");
        JdbcCallbackStore.sqlite(file).threads(0).build().close();
        try (JdbcCallbackStore again = JdbcCallbackStore.sqlite(file).threads(0).build()) {
            assertThat(schemaVersions(again)).containsExactly(Map.entry(1, "V1__callback_kit.sql"),
                    Map.entry(2, "V2__state.sql"), Map.entry(3, "V3__journal_orders.sql"),
                    Map.entry(4, "V4__order_activity.sql"), Map.entry(5, "V5__action_orders.sql"),
                    Map.entry(6, "V6__journal_retention.sql"));
        }
    }

    @Test
    void aDatabaseAtVersionOneIsUpgradedAndKeepsItsData() throws SQLException {
        Path file = dir.resolve("db");
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            store.idempotencyStore().markDone("s", "k", clock.instant());
            // as a store of the version before the state store left it
            try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE callbackkit_state");
                undoVersionFive(statement);
                statement.execute("DROP TABLE callbackkit_order_activity");
                undoVersionThree(statement);
                statement.execute("DELETE FROM callbackkit_schema_version WHERE version >= 2");
            }
        }
        try (JdbcCallbackStore upgraded = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            assertThat(schemaVersions(upgraded)).extracting(Map.Entry::getKey).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(upgraded.idempotencyStore().isDone("s", "k")).isTrue();
            assertThat(upgraded.stateStore().update("s", "k", before -> before.orElse("new"))).isEqualTo("new");
        }
    }

    @Test
    void aDatabaseAtVersionTwoIsUpgradedItsProbesMarkedAndItsEntriesFound() throws SQLException {
        Path file = dir.resolve("db");
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                undoVersionFive(statement);
                statement.execute("DROP TABLE callbackkit_order_activity");
                undoVersionThree(statement);
                statement.execute("DELETE FROM callbackkit_schema_version WHERE version >= 3");
                for (String[] row : new String[][] {{"old-real", "{}"}, {"old-probe", "{\"X-Callback-Kit-Probe\":[\"p\"]}"}}) {
                    statement.execute("INSERT INTO callbackkit_journal (id, received_at, provider, kind, outcome, status,"
                            + " latency_nanos, remote_address, method, path, query_json, headers_json, body_bytes, detail)"
                            + " VALUES ('" + row[0] + "', 1000, 'klarna', 'push', 'ACCEPTED', 200, 0, '', 'POST', '/p',"
                            + " '{}', '" + row[1] + "', 0, '')");
                }
            }
        }
        try (JdbcCallbackStore upgraded = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            assertThat(schemaVersions(upgraded)).extracting(Map.Entry::getKey).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(upgraded.journal().find(JournalQuery.builder().probes(false).build()))
                    .extracting(JournalEntry::id).containsExactly("old-real");
            assertThat(upgraded.journal().find(JournalQuery.all())).extracting(JournalEntry::orderReferences)
                    .containsOnly(List.of());
            assertThat(upgraded.journal().find(JournalQuery.all())).extracting(JournalEntry::answer)
                    .containsOnly(JournalEntry.Answer.UNKNOWN);
        }
    }

    /** Takes away what version 5 of the schema added. */
    private static void undoVersionFive(Statement statement) throws SQLException {
        statement.execute("DROP INDEX callbackkit_scheduled_tasks_order_idx");
        statement.execute("DROP INDEX callbackkit_dead_actions_order_idx");
        statement.execute("ALTER TABLE callbackkit_scheduled_tasks DROP COLUMN order_reference");
        statement.execute("ALTER TABLE callbackkit_dead_actions DROP COLUMN order_reference");
    }

    /** Leaves the database as version 2 of the schema left it. */
    private static void undoVersionThree(Statement statement) throws SQLException {
        statement.execute("DROP TABLE callbackkit_journal_references");
        statement.execute("DROP INDEX callbackkit_journal_id_idx");
        statement.execute("ALTER TABLE callbackkit_journal DROP COLUMN order_references");
        statement.execute("ALTER TABLE callbackkit_journal DROP COLUMN probe");
        statement.execute("ALTER TABLE callbackkit_journal DROP COLUMN masked_fingerprints");
        for (String column : List.of("answer_headers_json", "answer_body", "answer_body_bytes")) {
            statement.execute("ALTER TABLE callbackkit_journal DROP COLUMN " + column);
        }
    }

    @Test
    void actionsScheduledBeforeVersionFiveAreFoundByTheirOrderAfterItOnSqlite() throws SQLException {
        Path file = dir.resolve("db");
        upgradesActionsToVersionFive(() -> JdbcCallbackStore.sqlite(file));
    }

    @Test
    void actionsScheduledBeforeVersionFiveAreFoundByTheirOrderAfterItOnPostgres(PostgresServer postgres)
            throws SQLException {
        try (var pool = PostgresServer.pool(postgres.newDatabase("version_five"), 3)) {
            upgradesActionsToVersionFive(() -> JdbcCallbackStore.builder(pool));
        }
    }

    /** Actions written by version 4 (no order column) are found by their order once version 5 is applied. */
    private void upgradesActionsToVersionFive(Supplier<JdbcCallbackStore.Builder> builder) throws SQLException {
        try (JdbcCallbackStore store = builder.get().clock(clock).threads(0).build()) {
            store.scheduler().register("klarna.notification", context -> ActionResult.giveUp("order missing"));
            store.scheduler().schedule(new DelayedAction("klarna.notification", "4711/ORDER_CAPTURED", "{}",
                    clock.instant()));
            store.runDue();
            store.scheduler().schedule(new DelayedAction("ecster.notification", "4711", "{}", clock.instant()));
            store.scheduler().schedule(new DelayedAction("ecster.notification", "47110", "{}", clock.instant()));
            try (Connection connection = store.dataSource().getConnection();
                    Statement statement = connection.createStatement()) { // as version 4 left it
                undoVersionFive(statement);
                statement.execute("DELETE FROM callbackkit_schema_version WHERE version >= 5");
            }
        }
        try (JdbcCallbackStore upgraded = builder.get().clock(clock).threads(0).build()) {
            assertThat(schemaVersions(upgraded)).extracting(Map.Entry::getKey).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(upgraded.scheduler().pending(ActionQuery.aboutOrder("4711", 10)))
                    .extracting(p -> p.action().key()).containsExactly("4711");
            assertThat(upgraded.scheduler().dead(ActionQuery.aboutOrder("4711", 10)))
                    .extracting(d -> d.action().key()).containsExactly("4711/ORDER_CAPTURED");
        }
    }

    @Test
    void postgresNodesStartingTogetherCreateTheSchemaOnce(PostgresServer postgres) throws Exception {
        String url = postgres.newDatabase("schema");
        try (var poolA = PostgresServer.pool(url, 3); var poolB = PostgresServer.pool(url, 3)) {
            CompletableFuture<JdbcCallbackStore> a = CompletableFuture.supplyAsync(
                    () -> JdbcCallbackStore.builder(poolA).threads(0).build());
            CompletableFuture<JdbcCallbackStore> b = CompletableFuture.supplyAsync(
                    () -> JdbcCallbackStore.builder(poolB).threads(0).build());
            try (JdbcCallbackStore storeA = a.get(); JdbcCallbackStore storeB = b.get()) {
                assertThat(schemaVersions(storeA)).containsExactly(Map.entry(1, "V1__callback_kit.sql"),
                    Map.entry(2, "V2__state.sql"), Map.entry(3, "V3__journal_orders.sql"),
                    Map.entry(4, "V4__order_activity.sql"), Map.entry(5, "V5__action_orders.sql"),
                    Map.entry(6, "V6__journal_retention.sql"));
                assertThat(storeB.scheduler().schedule(new DelayedAction("t", "k", "{}", clock.instant()))).isTrue();
                assertThat(storeA.scheduler().pending()).hasSize(1);
            }
        }
    }

    @Test
    void keysTooLongForTheIndexAreRefusedAtOnce() {
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(dir.resolve("db")).threads(0).build()) {
            String longKey = "k".repeat(DurableActionScheduler.MAX_ID_CHARS);
            assertThatThrownBy(() -> store.scheduler().schedule(new DelayedAction("t", longKey, "{}", clock.instant())))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.idempotencyStore().markDone("s", "k".repeat(501), clock.instant()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.stateStore().update("s", "k".repeat(501), before -> "{}"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.scheduler().pending()).isEmpty();
        }
    }

    @Test
    void theBuilderChecksEachValueAtOnceAndTheirRulesAtBuild() {
        JdbcCallbackStore.Builder builder = JdbcCallbackStore.sqlite(dir.resolve("db"));
        assertThatThrownBy(() -> builder.threads(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.missedHeartbeatsLimit(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.overdueAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.journalRetention(Duration.ofDays(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.nodeName(" ")).isInstanceOf(IllegalArgumentException.class);

        assertThatThrownBy(() -> builder.pollInterval(Duration.ofMinutes(10)).overdueAfter(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overdueAfter");
    }

    @Test
    void runDueIsOnlyForAManualStore() {
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(dir.resolve("db")).pollInterval(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(store::runDue).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A Klarna push entry {@code id}, received at {@code receivedAt}. */
    static JournalEntry entry(String id, Instant receivedAt) {
        return new JournalEntry(id, receivedAt, "klarna", "push", CallbackOutcome.ACCEPTED, 200, Duration.ofMillis(2),
                "203.0.113.7", "POST", "/klarna/push/" + id, Map.of(), Map.of(), 0, "");
    }

    private static List<String> ids(JdbcCallbackStore store) {
        return store.journal().find(JournalQuery.all()).stream().map(JournalEntry::id).toList();
    }

    private static List<Map.Entry<Integer, String>> schemaVersions(JdbcCallbackStore store) throws SQLException {
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, script FROM callbackkit_schema_version")) {
            List<Map.Entry<Integer, String>> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(Map.entry(rows.getInt(1), rows.getString(2)));
            }
            return versions;
        }
    }
}
