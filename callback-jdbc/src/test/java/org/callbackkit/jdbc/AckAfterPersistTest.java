package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.testing.CallbackRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider-style endpoint that schedules its work and answers 200 once {@code schedule} returns,
 * as the provider modules do: with the durable scheduler it is answered 200 only once the action
 * is committed, and 503 with {@code Retry-After} (so the provider sends it again) when the
 * database refuses to commit. The database really refuses: SQLite's file write-locked by another
 * connection, as another process would, PostgreSQL with read-only transactions.
 */
@ExtendWith(PostgresServer.Extension.class)
class AckAfterPersistTest {

    @TempDir
    Path dir;

    @Test
    void sqliteAnswersOkOnlyWhenCommittedAnd503WhenItCannotCommit() throws SQLException {
        Path file = dir.resolve("shop.db");
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).unavailableRetryAfter(Duration.ofSeconds(40))
                .threads(0).build()) {
            assertThat(dispatch(store, "order-1").status()).isEqualTo(200);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement statement = other.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                assertUnavailable(store);
                statement.execute("ROLLBACK");
            }
            assertNothingKept(store);
        }
    }

    @Test
    void postgresAnswersOkOnlyWhenCommittedAnd503WhenItCannotCommit(PostgresServer postgres) throws SQLException {
        String url = postgres.newDatabase("ack");
        try (var pool = PostgresServer.pool(url, 4); JdbcCallbackStore store = JdbcCallbackStore.builder(pool).threads(0).build()) {
            assertThat(dispatch(store, "order-1").status()).isEqualTo(200);
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'))
                        + " SET default_transaction_read_only = on");
            }
        }
        try (var pool = PostgresServer.pool(url, 4); JdbcCallbackStore store = JdbcCallbackStore.builder(pool)
                .createSchema(false).unavailableRetryAfter(Duration.ofSeconds(40)).threads(0).build()) {
            assertUnavailable(store);
            assertNothingKept(store);
        }
    }

    /** While the database refuses: order-2 is answered 503 with Retry-After, order-3 cannot be scheduled. */
    private static void assertUnavailable(JdbcCallbackStore store) {
        CallbackResponse response = dispatch(store, "order-2");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().first("Retry-After")).contains("40");
        DelayedActionScheduler scheduler = store.scheduler();
        assertThatThrownBy(() -> scheduler.schedule(new DelayedAction("shop.paid", "order-3", "{}", Instant.now())))
                .isInstanceOf(TemporarilyUnavailableException.class);
    }

    /** What the database kept of that: order-1's action only, and no journal entry of the failure. */
    private static void assertNothingKept(JdbcCallbackStore store) {
        assertThat(store.scheduler().pending()).extracting(p -> p.action().key()).containsExactly("order-1");
        assertThat(store.journal().find(JournalQuery.builder().outcomes(CallbackOutcome.FAILED).build()))
                .as("the journal cannot record it either; the router logs that").isEmpty();
    }

    private static CallbackResponse dispatch(JdbcCallbackStore store, String orderId) {
        return router(store).dispatch(paid(orderId));
    }

    /** The callback {@link #router} answers: order {@code orderId} is paid. */
    static CallbackRequest paid(String orderId) {
        return CallbackRequests.postJson("/shop/paid/" + orderId, "{}").build();
    }

    /**
     * The endpoint every provider module has in some form, at {@code /shop/paid/{orderId}}:
     * schedule a {@code shop.paid} action for the order, then answer 200.
     */
    static CallbackRouter router(JdbcCallbackStore store) {
        return CallbackRouter.builder()
                .journal(store.journal())
                .endpoint(CallbackEndpoint.builder("shop", "paid")
                        .path("/shop/paid/{orderId}")
                        .methods("POST")
                        .handler(request -> store.scheduler().schedule(new DelayedAction("shop.paid",
                                request.pathParameter("orderId").orElseThrow(), "{}", Instant.now()))
                                ? CallbackResponse.ok()
                                : CallbackResponse.duplicate())
                        .build())
                .build();
    }
}
