package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on the store's SQLite file: callers queued while a batch is written share the next
 * transaction and its one commit; a caller returns only once its writes are committed (another
 * connection sees them); a work that fails is rolled back alone, its batchmates written again
 * without it; a caller left queued past the wait gives up without its work ever running; with two
 * writers, two batches are written at once. Threads are coordinated by latches, never by time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a safety net against a hang, not a measurement
class GroupCommitTest {

    @TempDir
    Path dir;

    private SqliteFile file;
    private final List<CompletableFuture<?>> callers = new ArrayList<>();

    @BeforeEach
    void table() throws SQLException {
        file = JdbcCallbackStore.sqliteFile(dir.resolve("shop.db"));
        try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v TEXT PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        callers.forEach(caller -> caller.cancel(true));
        file.close();
    }

    @Test
    void callersQueuedMeanwhileShareOneCommitAndAFailureRollsBackOnlyItsOwnWrites() throws Exception {
        GroupCommit group = new GroupCommit(within -> file.getConnection(), Duration.ofSeconds(30), 1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch failingInside = new CountDownLatch(1);
        CountDownLatch releaseFailing = new CountDownLatch(1);
        CompletableFuture<Integer> first = heldInside(group, "first", releaseFirst);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> second = call(group, connection -> {
            ran.add("second");
            return insert(connection, "second");
        });
        awaitQueued(group, 1); // second before failing in the next batch
        CompletableFuture<Integer> failing = call(group, connection -> {
            ran.add("failing");
            insert(connection, "failing");
            failingInside.countDown();
            releaseFailing.await();
            throw new SQLException("constraint failed", null, 19);
        });
        awaitQueued(group, 2);
        long commitsBefore = file.commits();

        releaseFirst.countDown();
        assertThat(first.join()).isEqualTo(1);
        failingInside.await(); // second and failing are in one transaction; second's work is done
        assertThat(second).as("not answered before its transaction commits").isNotDone();
        assertThat(committed()).as("what another connection sees").containsExactly("first");
        releaseFailing.countDown();

        assertThat(second.join()).isEqualTo(1);
        assertThatThrownBy(failing::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(SQLException.class).hasMessageContaining("constraint failed");
        assertThat(committed()).as("the failing work's own insert rolled back").containsExactly("first", "second");
        assertThat(file.commits() - commitsBefore).as("first's batch, then second's, written again without failing")
                .isEqualTo(2);
        assertThat(ran).as("the batch rolled back, its other work run again").containsExactly("second", "failing", "second");
    }

    /** A review found a failed rollback ignored: the batch's other works were written again on a connection in an unknown state. */
    @Test
    void aRollbackThatFailsFailsTheWholeBatch() throws Exception {
        GroupCommit group = new GroupCommit(within -> rollbackFails(file.getConnection()), Duration.ofSeconds(30), 1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = heldInside(group, "first", release);
        CompletableFuture<Integer> second = call(group, connection -> insert(connection, "second"));
        awaitQueued(group, 1);
        CompletableFuture<Integer> failing = call(group, connection -> {
            throw new SQLException("constraint failed", null, 19);
        });
        awaitQueued(group, 2);

        release.countDown();
        assertThat(first.join()).isEqualTo(1);
        assertThatThrownBy(second::join).cause().hasMessage("rollback failed");
        assertThatThrownBy(failing::join).cause().hasMessage("constraint failed");
        assertThat(committed()).containsExactly("first");
    }

    /** {@code connection}, whose rollback rolls back and then throws, as one whose connection broke. */
    private static Connection rollbackFails(Connection connection) {
        return (Connection) Proxy.newProxyInstance(GroupCommitTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(connection, args);
                        if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                            throw new SQLException("rollback failed");
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** OutageTest once saw 2 s answers to a 1 s wait: a caller queued behind a slow batch then waited a whole wait again. */
    @Test
    void theNextBatchsWriterWaitsForTheConnectionOnlyWhatIsLeftOfItsOwnWait() throws Exception {
        Duration queueWait = Duration.ofSeconds(30);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        GroupCommit group = new GroupCommit(within -> {
            waits.add(within);
            return file.getConnection();
        }, queueWait, 1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CompletableFuture<Integer> first = heldInside(group, "first", releaseFirst);
        CompletableFuture<Integer> second = call(group, connection -> insert(connection, "second"));
        awaitQueued(group, 1);
        releaseFirst.countDown();

        assertThat(first.join() + second.join()).isEqualTo(2);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).as("a caller that found no batch: its whole wait").isEqualTo(queueWait);
        assertThat(waits.get(1)).as("the queued caller: what is left of it").isLessThan(queueWait);
    }

    @Test
    void withTwoWritersTwoBatchesAreWrittenAtOnceAndTheNextCallerQueues() throws Exception {
        List<Duration> asked = new CopyOnWriteArrayList<>();
        GroupCommit group = new GroupCommit(within -> {
            asked.add(within);
            return DriverManager.getConnection("jdbc:sqlite:" + file.file()); // works here write nothing
        }, Duration.ofSeconds(30), 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch bothInside = new CountDownLatch(2);
        CompletableFuture<Integer> first = call(group, connection -> {
            bothInside.countDown();
            release.await();
            return 1;
        });
        CompletableFuture<Integer> second = call(group, connection -> {
            bothInside.countDown();
            release.await();
            return 2;
        });
        bothInside.await(); // one writer could not have run both: each holds its batch until released
        CompletableFuture<Integer> third = call(group, connection -> 3);
        awaitQueued(group, 1);
        assertThat(third).as("both writers are busy").isNotDone();

        release.countDown();
        assertThat(List.of(first.join(), second.join(), third.join())).containsExactly(1, 2, 3);
        assertThat(asked).as("a connection per batch").hasSize(3);
        assertThatThrownBy(() -> new GroupCommit(within -> null, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aOneStatementWorkWrittenAloneRunsInAutoCommitAndBatchedInTheTransaction() throws Exception {
        GroupCommit group = new GroupCommit(within -> file.getConnection(), Duration.ofSeconds(30), 1);
        List<String> ran = new CopyOnWriteArrayList<>();
        int alone = group.run(connection -> {
            ran.add("alone, auto-commit " + connection.getAutoCommit());
            return insert(connection, "alone");
        }, true);
        assertThat(alone).isEqualTo(1);
        int notOneStatement = group.run(connection -> {
            ran.add("not one statement, auto-commit " + connection.getAutoCommit());
            return insert(connection, "several");
        }, false);
        assertThat(notOneStatement).isEqualTo(1);
        assertThat(ran).containsExactly("alone, auto-commit true", "not one statement, auto-commit false");
        assertThatThrownBy(() -> group.run(connection -> {
            throw new SQLException("constraint failed", null, 19);
        }, true)).hasMessageContaining("constraint failed");

        ran.clear();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = heldInside(group, "first", release);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (String value : List.of("second", "third")) {
            queued.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return group.run(connection -> {
                        ran.add(value + ", auto-commit " + connection.getAutoCommit());
                        return insert(connection, value);
                    }, true);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }));
            awaitQueued(group, queued.size());
        }
        release.countDown();
        assertThat(first.join() + queued.get(0).join() + queued.get(1).join()).isEqualTo(3);
        assertThat(ran).as("batched: in the transaction").containsExactly("second, auto-commit false",
                "third, auto-commit false");
        assertThat(committed()).containsExactly("alone", "first", "second", "several", "third");
    }

    @Test
    void aLoneCallerIsWrittenAtOnceAndFailuresOfTheBatchReachEveryCaller() throws Exception {
        GroupCommit group = new GroupCommit(within -> file.getConnection(), Duration.ofSeconds(30), 1);
        int inserted = group.run(connection -> insert(connection, "alone"), false);
        assertThat(inserted).isEqualTo(1);
        assertThat(committed()).containsExactly("alone");

        GroupCommit noConnection = new GroupCommit(within -> {
            throw new SQLTransientConnectionException("the database is down", "08001");
        }, Duration.ofSeconds(30), 1);
        assertThatThrownBy(() -> noConnection.run(connection -> insert(connection, "never"), false))
                .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("down");
        assertThat(committed()).containsExactly("alone");
    }

    @Test
    void whenABatchCannotBeWrittenTheCallersQueuedBehindItFailAtOnceWithoutRunning() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        GroupCommit group = new GroupCommit(within -> {
            asking.countDown();
            try {
                refuse.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SQLTransientConnectionException("the database cannot take a write", "08001");
        }, Duration.ofSeconds(30), 1);
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> leader = call(group, connection -> {
            ran.add("leader");
            return 1;
        });
        asking.await();
        CompletableFuture<Integer> queued = call(group, connection -> {
            ran.add("queued");
            return 1;
        });
        awaitQueued(group, 1);

        refuse.countDown();

        for (CompletableFuture<Integer> caller : List.of(leader, queued)) {
            assertThatThrownBy(caller::join).cause().isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("cannot take a write");
        }
        assertThat(ran).isEmpty();
        assertThat(group.queued()).isZero();
    }

    @Test
    void aCallerStillQueuedAfterTheWaitGivesUpAndItsWorkNeverRuns() throws Exception {
        GroupCommit group = new GroupCommit(within -> file.getConnection(), Duration.ofMillis(100), 1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> holder = call(group, connection -> {
            inside.countDown();
            release.await();
            return insert(connection, "holder");
        });
        inside.await();

        CompletableFuture<Integer> queued = call(group, connection -> insert(connection, "queued"));
        assertThatThrownBy(queued::join).cause().isInstanceOf(SQLTransientConnectionException.class)
                .hasFieldOrPropertyWithValue("SQLState", "08001");
        release.countDown();

        assertThat(holder.join()).isEqualTo(1);
        assertThat(group.queued()).isZero();
        assertThat(committed()).containsExactly("holder");
    }

    @Test
    void onSqliteTheStoresShortWritesShareTransactionsAndStayUnavailableWhenTheDatabaseRefuses() throws SQLException {
        try (Jdbc jdbc = new Jdbc(file, Dialect.SQLITE, Duration.ofSeconds(7), Duration.ofMillis(200))) {
            long before = file.commits();
            int inserted = jdbc.inSharedTransaction("insert", connection -> insert(connection, "shared"));
            assertThat(inserted).isEqualTo(1);
            assertThat(file.commits() - before).isEqualTo(1);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.file());
                    Statement statement = other.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                assertThatThrownBy(() -> jdbc.inSharedTransaction("insert", connection -> insert(connection, "refused")))
                        .isInstanceOf(org.callbackkit.core.TemporarilyUnavailableException.class)
                        .hasMessageContaining("insert");
                statement.execute("ROLLBACK");
            }
        }
        assertThat(committed()).containsExactly("shared");
    }

    /** A work that may wait for the test's latches. */
    @FunctionalInterface
    private interface Work {
        int run(Connection connection) throws SQLException, InterruptedException;
    }

    private CompletableFuture<Integer> call(GroupCommit group, Work work) {
        CompletableFuture<Integer> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return group.run(connection -> {
                    try {
                        return work.run(connection);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted", e);
                    }
                }, false);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, runnable -> new Thread(runnable, "caller-" + callers.size()).start());
        callers.add(caller);
        return caller;
    }

    /** A caller whose work inserts {@code value}, then waits inside its batch until {@code release} opens; returned once inside. */
    private CompletableFuture<Integer> heldInside(GroupCommit group, String value, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Integer> caller = call(group, connection -> {
            int inserted = insert(connection, value);
            inside.countDown();
            release.await();
            return inserted;
        });
        inside.await();
        return caller;
    }

    /** Waits, without a clock, until {@code count} callers are queued behind the batch being written. */
    private static void awaitQueued(GroupCommit group, int count) {
        while (group.queued() < count) {
            Thread.onSpinWait();
        }
    }

    private static int insert(Connection connection, String value) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
            insert.setString(1, value);
            return insert.executeUpdate();
        }
    }

    /** The values committed, as another connection to the file sees them. */
    private List<String> committed() throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.file());
                Statement statement = other.createStatement();
                ResultSet rows = statement.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
