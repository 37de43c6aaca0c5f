package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.callbackkit.core.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes updating one key of the state store at once: two stores, each with a pool of its own,
 * on one database. On PostgreSQL the row lock keeps their updates of a key apart, so none is lost
 * and none runs beside another; on SQLite (two connections to one file, as two processes would
 * have) a write that finds the row changed since it read it runs the update again on the newer
 * document, so none is lost either.
 */
@ExtendWith(PostgresServer.Extension.class)
class StateStoreRaceTest {

    private static final int THREADS_PER_NODE = 4;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
            closeAtEnd.get(i).close();
        }
    }

    @Test
    void postgresNodesRacingOnOneKeyLoseNoUpdateAndNeverOverlap(PostgresServer postgres) throws Exception {
        String url = postgres.newDatabase("state_race");
        StateStore nodeA = node(PostgresServer.pool(url, THREADS_PER_NODE + 1));
        StateStore nodeB = node(PostgresServer.pool(url, THREADS_PER_NODE + 1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Optional<String>> firstSeen = new CopyOnWriteArrayList<>();
        int updatesEach = 20;

        race(nodeA, nodeB, store -> {
            for (int i = 0; i < updatesEach; i++) {
                store.update("race", "order-1", before -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        if (before.isEmpty()) {
                            firstSeen.add(before);
                        }
                        return Integer.toString(Integer.parseInt(before.orElse("0")) + 1);
                    } finally {
                        inside.decrementAndGet();
                    }
                });
            }
        });

        int updates = 2 * THREADS_PER_NODE * updatesEach;
        assertThat(nodeA.find("race", "order-1")).as("no update lost").contains(Integer.toString(updates));
        assertThat(nodeB.find("race", "order-1")).contains(Integer.toString(updates));
        assertThat(firstSeen).as("updates that found no document").hasSize(1);
        assertThat(mostInside.get()).as("updates of the key running at once, on both nodes").isEqualTo(1);
    }

    @Test
    void postgresNodesRacingToCreateAKeyStoreItsFirstDocumentOnce(PostgresServer postgres) throws Exception {
        String url = postgres.newDatabase("state_first");
        StateStore nodeA = node(PostgresServer.pool(url, THREADS_PER_NODE + 1));
        StateStore nodeB = node(PostgresServer.pool(url, THREADS_PER_NODE + 1));
        raceToCreateKeys(nodeA, nodeB);
    }

    @Test
    void sqliteNodesRacingOnOneKeyLoseNoUpdate() throws Exception {
        StateStore nodeA = node(sqlite());
        StateStore nodeB = node(sqlite());
        int updatesEach = 20;

        race(nodeA, nodeB, store -> {
            for (int i = 0; i < updatesEach; i++) {
                store.update("race", "order-1", before -> Integer.toString(Integer.parseInt(before.orElse("0")) + 1));
            }
        });

        assertThat(nodeB.find("race", "order-1")).as("no update lost")
                .contains(Integer.toString(2 * THREADS_PER_NODE * updatesEach));
    }

    @Test
    void sqliteNodesRacingToCreateAKeyStoreItsFirstDocumentOnce() throws Exception {
        raceToCreateKeys(node(sqlite()), node(sqlite()));
    }

    /**
     * Every thread updates each of ten new keys once, all starting together: the first update of a
     * key inserts its row, and the others must wait for that insert (or run again after it) rather
     * than overwrite it.
     */
    private static void raceToCreateKeys(StateStore nodeA, StateStore nodeB) throws Exception {
        int keys = 10;
        race(nodeA, nodeB, store -> {
            for (int k = 0; k < keys; k++) {
                store.update("first", "order-" + k, before -> before.orElse("") + "x");
            }
        });

        for (int k = 0; k < keys; k++) {
            assertThat(nodeA.find("first", "order-" + k)).as("order-" + k).contains("x".repeat(2 * THREADS_PER_NODE));
        }
    }

    @Test
    void onSqliteAWriteAfterAnotherNodesUpdateRunsTheUpdateAgainOnTheNewerDocument() throws Exception {
        StateStore nodeA = node(sqlite());
        StateStore nodeB = node(sqlite());
        nodeA.update("s", "order-1", before -> "1");
        List<Optional<String>> seenByA = new ArrayList<>();

        String stored = nodeA.update("s", "order-1", before -> {
            if (seenByA.isEmpty()) {
                // node B stores its update between node A's read and node A's write
                nodeB.update("s", "order-1", b -> b.orElseThrow() + "B");
            }
            seenByA.add(before);
            return before.orElseThrow() + "A";
        });

        assertThat(seenByA).containsExactly(Optional.of("1"), Optional.of("1B"));
        assertThat(stored).isEqualTo("1BA");
        assertThat(nodeB.find("s", "order-1")).contains("1BA");
    }

    /** A connection of its own to the test's SQLite file. */
    private SqliteFile sqlite() {
        SqliteFile file = JdbcCallbackStore.sqliteFile(dir.resolve("state.db"));
        file.waitAtMost(Duration.ofSeconds(10)); // two connections take turns on the file's write lock
        return file;
    }

    private StateStore node(DataSource pool) {
        if (pool instanceof AutoCloseable closeable) {
            closeAtEnd.add(closeable);
        }
        JdbcCallbackStore store = JdbcCallbackStore.builder(pool).connectionWait(Duration.ofSeconds(10)).threads(0).build();
        closeAtEnd.add(store);
        return store.stateStore();
    }

    /** What one thread does with its node's store. */
    @FunctionalInterface
    private interface Work {
        void run(StateStore store);
    }

    /** Runs {@code work} on {@value #THREADS_PER_NODE} threads per node, all released at once. */
    private static void race(StateStore nodeA, StateStore nodeB, Work work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2 * THREADS_PER_NODE; t++) {
                StateStore store = t % 2 == 0 ? nodeA : nodeB;
                done.add(threads.submit(() -> {
                    start.await();
                    work.run(store);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
