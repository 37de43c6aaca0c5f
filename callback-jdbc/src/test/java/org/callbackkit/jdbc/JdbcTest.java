package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auto-commit work: on, whatever the pool hands out, and back as it was; a lost race left to a
 * transaction; an error without an SQLSTATE (a pool timeout) is unavailable, not a crash.
 */
class JdbcTest {

    private Connection connection;
    private Jdbc jdbc;

    /** A data source that hands out one SQLite connection, with auto-commit off, and ignores its close. */
    @BeforeEach
    void oneConnection() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        connection.setAutoCommit(false);
        Connection unclosable = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return unclosable;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        jdbc = new Jdbc(dataSource, Dialect.SQLITE, Duration.ofSeconds(7), Duration.ofSeconds(1));
    }

    @AfterEach
    void close() throws SQLException {
        jdbc.close();
        connection.close();
    }

    @Test
    void autoCommitWorkRunsInAutoCommitAndHandsTheConnectionBackAsItCame() throws SQLException {
        assertThat(jdbc.withConnection("check", Connection::getAutoCommit)).isTrue();
        assertThat(connection.getAutoCommit()).isFalse();
        assertThat(jdbc.withConnectionOr("check", false, Connection::getAutoCommit)).isTrue();
        assertThat(connection.getAutoCommit()).isFalse();
    }

    @Test
    void aLostRaceIsLeftToTheCallerAndAnyOtherFailureIsUnavailable() {
        assertThat(jdbc.withConnectionOr("race", "raced", c -> {
            throw new SQLException("database is locked", null, 5); // SQLITE_BUSY
        })).isEqualTo("raced");
        assertThatThrownBy(() -> jdbc.withConnectionOr("down", "raced", c -> {
            throw new SQLException("connection refused", "08001");
        })).isInstanceOf(TemporarilyUnavailableException.class).hasMessageContaining("down").hasMessageContaining("08001");
        assertThatThrownBy(() -> jdbc.withConnection("race", c -> {
            throw new SQLException("database is locked", null, 5);
        })).as("no transaction to leave it to").isInstanceOf(TemporarilyUnavailableException.class)
                .hasMessageContaining("error code 5");
    }

    @Test
    void anErrorWithoutSqlStateIsNoRace() {
        for (Dialect dialect : Dialect.values()) {
            assertThat(dialect.isRetryable(new SQLTransientConnectionException("pool timeout"))).isFalse();
        }
        SQLException chain = new SQLException("no state");
        chain.setNextException(new SQLException("could not serialize access", "40001"));
        assertThat(Dialect.POSTGRESQL.isRetryable(chain)).as("a race further down the chain").isTrue();
    }

    /** sqlite-jdbc gives no SQLSTATE: SQLITE_BUSY and SQLITE_LOCKED are told by their codes, extended ones too. */
    @Test
    void onSqliteABusyOrLockedDatabaseIsARace() {
        for (int code : List.of(5, 6, 261, 517, 773, 262)) { // BUSY, LOCKED, BUSY_RECOVERY, _SNAPSHOT, _TIMEOUT, LOCKED_SHAREDCACHE
            assertThat(Dialect.SQLITE.isRetryable(new SQLException("database is locked", null, code))).as("%s", code)
                    .isTrue();
        }
        assertThat(Dialect.SQLITE.isRetryable(new SQLException("constraint failed", null, 1555))).isFalse();
        assertThat(Dialect.SQLITE.isRetryable(new SQLException("no code"))).isFalse();
        SQLException chain = new SQLException("no code");
        chain.setNextException(new SQLException("database is locked", null, 5));
        assertThat(Dialect.SQLITE.isRetryable(chain)).as("a race further down the chain").isTrue();
    }

    /** HikariCP's own pool timeout, which carries no SQLSTATE, is a 503's exception in every kind of work. */
    @Test
    void hikariPoolTimeoutIsUnavailable() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite::memory:");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250); // HikariCP's minimum
        try (HikariDataSource pool = new HikariDataSource(config); Connection held = pool.getConnection();
                Jdbc onPool = new Jdbc(pool, Dialect.SQLITE, Duration.ofSeconds(7), Duration.ofSeconds(1))) {
            assertThatThrownBy(pool::getConnection).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as("the premise: no SQLSTATE").isNull());
            for (Runnable work : List.<Runnable>of(
                    () -> onPool.inTransaction("transaction", c -> 1),
                    () -> onPool.withConnection("statement", c -> 1),
                    () -> onPool.withConnectionOr("statement or transaction", 0, c -> 1))) {
                assertThatThrownBy(work::run).isInstanceOfSatisfying(TemporarilyUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)))
                        .hasMessageContaining("no SQLSTATE");
            }
        }
    }

    /**
     * A pool that does not answer (its one connection held, its own timeout 30 s) costs a caller
     * the connection wait, and leaves its thread as it was; while one caller tries it, the others
     * fail at once; once it answers, so do we.
     */
    @Test
    void aPoolThatDoesNotAnswerCostsOneCallerTheConnectionWait() throws Exception {
        Duration wait = Duration.ofMillis(200);
        AtomicReference<CountDownLatch> asked = new AtomicReference<>(new CountDownLatch(1));
        try (HikariDataSource pool = sqlitePool();
                BoundedConnections connections = new BoundedConnections(signalling(pool, asked), wait, Dialect.SQLITE)) {
            try (Connection held = pool.getConnection()) {
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    assertThatThrownBy(connections::get).isInstanceOf(SQLTransientConnectionException.class)
                            .hasMessageContaining("within");
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(wait, Duration.ofSeconds(5));
                    assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt is cleared").isFalse();
                    assertThat(connections.knownDown()).isTrue();
                }
                asked.set(new CountDownLatch(1));
                CompletableFuture<Void> trying = CompletableFuture.runAsync(() -> assertThatThrownBy(connections::get)
                        .hasMessageContaining("within"));
                assertThat(asked.get().await(5, TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();
                assertThatThrownBy(connections::get).hasMessageContaining("another request is trying");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait").isLessThan(wait);
                trying.get(5, TimeUnit.SECONDS);
            }
            try (Connection connection = connections.get()) {
                assertThat(connection.isValid(1)).isTrue();
                assertThat(connections.knownDown()).isFalse();
            }
            Thread.currentThread().interrupt();
            try (Connection connection = connections.get()) { // HikariCP hands an idle one even so
                assertThat(Thread.currentThread().isInterrupted()).as("an interrupted caller stays so").isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }

    /**
     * The watchdog wakes for a wait due before the one it sleeps for: a caller that may wait 200 ms
     * while another waits 5 s is freed after its own 200 ms, and the other gets the connection once
     * it is free. Once waits end, nothing is watched.
     */
    @Test
    void aShorterWaitStartedDuringALongerOneEndsOnItsOwnTime() throws Exception {
        Duration longWait = Duration.ofSeconds(5);
        Duration shortWait = Duration.ofMillis(200);
        AtomicReference<CountDownLatch> asked = new AtomicReference<>(new CountDownLatch(1));
        try (HikariDataSource pool = sqlitePool();
                BoundedConnections connections = new BoundedConnections(signalling(pool, asked), longWait, Dialect.SQLITE)) {
            CompletableFuture<Void> waitingLong;
            try (Connection held = pool.getConnection()) {
                waitingLong = CompletableFuture.runAsync(() -> {
                    try (Connection connection = connections.get()) {
                        assertThat(connection.isValid(1)).isTrue();
                    } catch (SQLException e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(asked.get().await(5, TimeUnit.SECONDS)).isTrue();
                awaitState(connections.watchdogThread(), Thread.State.TIMED_WAITING); // until a deadline: it must be woken

                long start = System.nanoTime();
                assertThatThrownBy(() -> connections.get(shortWait)).isInstanceOf(SQLTransientConnectionException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(shortWait, longWait.dividedBy(2));
            }
            waitingLong.get(10, TimeUnit.SECONDS); // the held connection went back to the pool: the long wait gets it
            try (Connection connection = connections.get()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            assertThat(connections.watched()).isZero();
        }
    }

    /** Only close() ends the watchdog: an interrupt from elsewhere leaves it asleep, and after close() a wait is refused. */
    @Test
    void theWatchdogSleepsOnAfterAStrayInterruptAndRefusesWaitsOnceClosed() throws Exception {
        try (HikariDataSource pool = sqlitePool()) {
            BoundedConnections connections = new BoundedConnections(pool, Duration.ofSeconds(1), Dialect.SQLITE);
            Thread watchdog = connections.watchdogThread();
            awaitState(watchdog, Thread.State.TIMED_WAITING); // nothing to watch: it looks again within the bound

            watchdog.interrupt();
            awaitUntil(() -> !watchdog.isInterrupted(), "the watchdog drops the interrupt"); // kept, every park would return at once
            awaitState(watchdog, Thread.State.TIMED_WAITING);

            connections.close();
            watchdog.join(5_000);
            assertThat(watchdog.isAlive()).isFalse();
            assertThatThrownBy(connections::get).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("closed")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
        }
    }

    /** Spins until {@code thread} is in {@code state}; fails after 5 s. */
    private static void awaitState(Thread thread, Thread.State state) {
        awaitUntil(() -> thread.getState() == state, thread.getName() + " reaches " + state);
    }

    /** Spins until {@code condition} holds; fails after 5 s. */
    private static void awaitUntil(BooleanSupplier condition, String what) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUpAt).as(what).isNegative();
            Thread.onSpinWait();
        }
    }

    /** A pool of one connection to an in-memory SQLite database, which waits 30 s for it (HikariCP's default, set). */
    private static HikariDataSource sqlitePool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite::memory:");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    /** {@code target}, counting {@code asked} down whenever it is asked for a connection. */
    private static DataSource signalling(DataSource target, AtomicReference<CountDownLatch> asked) {
        return (DataSource) Proxy.newProxyInstance(JdbcTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        asked.get().countDown();
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
