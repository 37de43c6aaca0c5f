package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real database taken away under load: a PostgreSQL server of this class's own (so that
 * stopping it disturbs no other test) is stopped while callbacks arrive from several threads,
 * then started again; the same with the embedded SQLite file write-locked by another connection.
 * The PostgreSQL pool is HikariCP with its own 30 s connection timeout, as docs/durable-storage.md sets it up;
 * the store waits its default connection wait of 1 s.
 */
class OutageTest {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(40);
    /**
     * What an answer may take beyond the connection wait: the router, the journal, and a thread
     * that a loaded 2-core machine runs late; far below the 30 s of the pool's own timeout.
     */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final int CLIENTS = 6;

    private static PostgresServer postgres;

    @BeforeAll
    static void startOwnServer() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopOwnServer() {
        postgres.close();
    }

    /** One answer: the order, its status, its Retry-After, how long it took. */
    private record Answer(String orderId, int status, String retryAfter, Duration took) {
    }

    @Test
    void anOutageIsAnsweredWith503WithinTheWaitAndLosesNothingAcknowledged() throws Exception {
        String url = postgres.newDatabase("outage");
        try (HikariDataSource pool = PostgresServer.pool(url, 8);
                JdbcCallbackStore store = outageStore(JdbcCallbackStore.builder(pool))) {
            answersAnOutage(store, postgres::stopForOutage, postgres::restart);
        }
    }

    /**
     * The embedded file taken away: another connection to it (what another process would do, a
     * backup tool or an operator's shell) holds its write lock with {@code BEGIN EXCLUSIVE} while
     * callbacks arrive, then lets it go. (Tests run as root, so a file made read-only by its mode
     * would still be written.)
     */
    @Test
    void aLockedSqliteFileIsAnsweredWith503WithinTheWaitAndLosesNothingAcknowledged(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("shop.db");
        try (JdbcCallbackStore store = outageStore(JdbcCallbackStore.sqlite(file));
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = other.createStatement()) {
            // the store writes without pause: the lock is taken in a gap between its commits, which may take a while
            statement.execute("PRAGMA busy_timeout = 60000");
            answersAnOutage(store, () -> statement.execute("BEGIN EXCLUSIVE"), () -> statement.execute("ROLLBACK"));
        }
    }

    /** The store of the outage tests: the default connection wait, every journal entry kept in memory, run by the test. */
    private static JdbcCallbackStore outageStore(JdbcCallbackStore.Builder builder) {
        JdbcCallbackStore store = builder.unavailableRetryAfter(RETRY_AFTER)
                .clock(MutableClock.atFixedStart()) // when the test requests arrive: no retention
                .journalSpoolCapacity(1_000_000).threads(0).build();
        store.start();
        return store;
    }

    /** What takes the database away, or brings it back. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Callbacks from {@value #CLIENTS} threads before, during and after an outage ({@code takeAway}
     * to {@code bringBack}): every answer is 200 or 503 with Retry-After within the connection
     * wait, health says down during it and up after, every order answered 200 has its action,
     * and every request is journaled once.
     */
    private static void answersAnOutage(JdbcCallbackStore store, Step takeAway, Step bringBack) throws Exception {
        Duration wait = Duration.ofSeconds(1); // the default, unset by outageStore
        CallbackRouter router = AckAfterPersistTest.router(store);
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicInteger orders = new AtomicInteger();
        CountDownLatch okBefore = new CountDownLatch(30);
        CountDownLatch unavailable = new CountDownLatch(60); // most at once: one client at a time waits
        AtomicReference<CountDownLatch> okAfter = new AtomicReference<>(new CountDownLatch(0));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    String orderId = "order-" + orders.incrementAndGet();
                    long start = System.nanoTime();
                    CallbackResponse response = router.dispatch(AckAfterPersistTest.paid(orderId));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    answers.add(new Answer(orderId, response.status(),
                            response.headers().first("Retry-After").orElse(null), took));
                    if (response.status() == 200) {
                        okBefore.countDown();
                        okAfter.get().countDown();
                    } else {
                        unavailable.countDown();
                    }
                }
                return null;
            }));
        }
        boolean downSeen;
        boolean upSeen;
        try {
            assertThat(okBefore.await(60, TimeUnit.SECONDS)).as("answered 200 before the outage").isTrue();
            takeAway.run();
            try {
                assertThat(unavailable.await(60, TimeUnit.SECONDS)).as("answered 503 during the outage").isTrue();
                downSeen = !store.health().databaseUp();
            } finally {
                okAfter.set(new CountDownLatch(30));
                bringBack.run();
            }
            assertThat(okAfter.get().await(60, TimeUnit.SECONDS)).as("answered 200 after the outage").isTrue();
            upSeen = store.health().databaseUp();
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> client : running) {
            client.get(); // a client that threw fails the test
        }

        Duration slowest = answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
        long unavailableCount = answers.stream().filter(a -> a.status() == 503).count();
        System.out.printf("OutageTest: %d answers, %d of them 503, the slowest in %d ms%n", answers.size(),
                unavailableCount, slowest.toMillis());
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as("200 or 503, never 500: %s", answer).isIn(200, 503);
            assertThat(answer.took()).as("within the connection wait: %s", answer).isLessThan(wait.plus(SLACK));
        });
        assertThat(answers).filteredOn(a -> a.status() == 503).extracting(Answer::retryAfter)
                .containsOnly(String.valueOf(RETRY_AFTER.toSeconds()));
        assertThat(downSeen).as("health during the outage says the database is down").isTrue();
        assertThat(upSeen).as("health after it says it is up").isTrue();

        Set<String> acknowledged = answers.stream().filter(a -> a.status() == 200).map(Answer::orderId)
                .collect(Collectors.toSet());
        Set<String> pending = store.scheduler().pending().stream().map(p -> p.action().key())
                .collect(Collectors.toSet());
        assertThat(pending).as("every order answered 200 has its action").containsAll(acknowledged);

        store.runDue(); // with threads(0), the store catches up with the database here
        StoreHealth caughtUp = store.health();
        assertThat(caughtUp.journalSpooled()).isZero();
        assertThat(caughtUp.journalDropped()).isZero();
        assertThat(journaled(store.dataSource(), "path").stream().map(path -> path.substring(path.lastIndexOf('/') + 1)))
                .as("every request journaled, once").containsExactlyInAnyOrderElementsOf(
                        answers.stream().map(Answer::orderId).toList());
    }

    /**
     * Many journal entries while the database is away: they wait in memory up to the spool's
     * capacity, the rest is counted, and when it returns they are written oldest first, each once,
     * also one whose commit went through but whose answer was lost.
     */
    @Test
    void journalEntriesWaitInMemoryAndAreWrittenInOrderOnceWhenTheDatabaseReturns() throws SQLException {
        String url = postgres.newDatabase("spool");
        int capacity = 500;
        MutableClock clock = MutableClock.atFixedStart();
        Instant at = clock.instant(); // one time for all: only their order tells them apart
        try (HikariDataSource pool = PostgresServer.pool(url, 4);
                JdbcCallbackStore store = JdbcCallbackStore.builder(pool).clock(clock).journalSpoolCapacity(capacity)
                        .threads(0).build()) {
            store.start();
            store.journal().record(JdbcCallbackStoreTest.entry("before", at));
            List<String> recorded = new ArrayList<>(List.of("before"));
            postgres.stopForOutage();
            try {
                for (int i = 1; i <= capacity + 10; i++) {
                    store.journal().record(JdbcCallbackStoreTest.entry("during-" + i, at));
                    if (i <= capacity) {
                        recorded.add("during-" + i);
                    }
                }
                assertThat(store.health()).isEqualTo(new StoreHealth(false, capacity, 10, 0));
            } finally {
                postgres.restart();
            }
            try (Connection connection = pool.getConnection()) { // as if a write went through but its answer was lost
                JdbcCallbackJournal.insert(connection, Dialect.POSTGRESQL, JdbcCallbackStoreTest.entry("during-1", at));
            }

            store.runDue();
            store.runDue();

            assertThat(store.health()).isEqualTo(new StoreHealth(true, 0, 10, 0));
            store.journal().record(JdbcCallbackStoreTest.entry("after", at));
            recorded.add("after");
            assertThat(journaled(pool, "id")).containsExactlyElementsOf(recorded);
        }
    }

    /**
     * The database goes away while an action runs, so its end (a retry in a minute) cannot be
     * recorded: once it returns, the end is recorded and the row released for its retry, without
     * waiting for the heartbeat timeout that would otherwise free the claimed row.
     */
    @Test
    void anActionWhoseEndCouldNotBeRecordedIsReleasedWhenTheDatabaseReturns() throws Exception {
        String url = postgres.newDatabase("unrecorded");
        MutableClock clock = MutableClock.atFixedStart();
        // db-scheduler's own polls take the pool's connections with the pool's timeout: a short one
        try (HikariDataSource pool = PostgresServer.pool(url, 4, Duration.ofSeconds(2));
                JdbcCallbackStore store = JdbcCallbackStore.builder(pool).clock(clock).threads(0).build()) {
            List<Integer> attempts = new CopyOnWriteArrayList<>();
            store.scheduler().register("t", context -> {
                attempts.add(context.attempt());
                if (context.attempt() == 1) {
                    postgres.stopForOutage();
                    return ActionResult.retryAfter(Duration.ofMinutes(1), "not yet");
                }
                return ActionResult.done();
            });
            store.start();
            store.scheduler().schedule(new DelayedAction("t", "k", "{}", clock.instant()));
            try {
                assertThatThrownBy(store::runDue).as("it ran the action, then could not look for more")
                        .isInstanceOf(TemporarilyUnavailableException.class);
                assertThat(attempts).containsExactly(1);
                assertThat(store.health()).isEqualTo(new StoreHealth(false, 0, 0, 1));
            } finally {
                postgres.restart();
            }
            awaitDatabaseUp(store);

            store.runDue(); // catches up first

            assertThat(store.health()).isEqualTo(new StoreHealth(true, 0, 0, 0));
            assertThat(store.scheduler().pending()).singleElement().satisfies(pending -> {
                assertThat(pending.running()).as("released").isFalse();
                assertThat(pending.attempts()).isEqualTo(1);
                assertThat(pending.lastError()).contains("not yet");
                assertThat(pending.action().runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
            });
            clock.advance(Duration.ofMinutes(1)); // the retry's delay, well within the heartbeat timeout (3 min)
            store.runDue();
            assertThat(attempts).containsExactly(1, 2);
            assertThat(store.scheduler().pending()).isEmpty();
        }
    }

    /**
     * Asks the store's health until the database answers, for at most 30 s: the pool makes its
     * connections again on threads of its own, after the failures of the outage.
     */
    private static void awaitDatabaseUp(JdbcCallbackStore store) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.health().databaseUp()) { // each call waits up to the connection wait: no sleep needed
            assertThat(System.nanoTime() - deadline).as("the database answers again within 30 s").isNegative();
        }
    }

    /** {@code column} of every journal entry, in the order they were written. */
    private static List<String> journaled(DataSource database, String column) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + column + " FROM callbackkit_journal ORDER BY seq")) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
