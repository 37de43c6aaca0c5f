package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ack after persist, under SIGKILL: a shop node in its own JVM takes callbacks over HTTP from
 * four senders while the test kills it at a random point (after a random number of 200s, with
 * other callbacks in flight and actions running), then starts it again on the same database; over
 * many kill points. Like a provider, the senders also re-send callbacks already answered 200, so
 * actions run again for orders done long before, not only for those a kill cut short. At the end
 * every callback answered 200 has had its effect exactly once (one row in {@code node_effects},
 * which has no unique key, written with the idempotency mark in one transaction), none is lost,
 * nothing is pending and nothing died. Runs on SQLite in a file (one node restarting) and on
 * PostgreSQL.
 *
 * <p>In the build it runs a few kill points per engine; the full size, 100 kill points per engine
 * with every core kept busy by a competing process ({@link CpuBurner}), is
 * {@code mvn -B -ntp -pl callback-jdbc -am test -Dtest=CrashTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcrashtest.kills=100 -Dcrashtest.load=true}.
 */
@ExtendWith(PostgresServer.Extension.class)
class CrashTest {

    private static final int SENDERS = 4;
    /** One callback in this many re-sends an order already answered 200. */
    private static final int RESEND_EVERY = 4;
    private static final long SEED = Long.getLong("crashtest.seed", System.nanoTime());
    /** Kill points per engine; the build's defaults fit its time budget. */
    private static final Integer KILLS = Integer.getInteger("crashtest.kills");
    /** Whether a competing process keeps every core busy while the test runs. */
    private static final boolean LOAD = Boolean.getBoolean("crashtest.load");

    @TempDir
    Path dir;

    @Test
    void sqliteFileLosesNoAcknowledgedCallbackAcrossKills() throws Exception {
        Path file = dir.resolve("shop.db");
        Set<String> acknowledged = survive(KILLS == null ? 12 : KILLS, Path.of("target", "crash-test", "sqlite.log"),
                "--sqlite", file.toString());
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).threads(0).build()) {
            verifyEffects(store.dataSource(), acknowledged);
        }
    }

    @Test
    void postgresLosesNoAcknowledgedCallbackAcrossKills(PostgresServer postgres) throws Exception {
        String url = postgres.newDatabase("crash");
        Set<String> acknowledged = survive(KILLS == null ? 6 : KILLS, Path.of("target", "crash-test", "postgres.log"), "--postgres",
                url);
        try (var pool = PostgresServer.pool(url, 2)) {
            verifyEffects(pool, acknowledged);
        }
    }

    /**
     * Kills and restarts a node {@code kills} times while callbacks arrive, then lets a last one
     * run what is left; returns the orders answered 200.
     */
    private Set<String> survive(int kills, Path log, String... database) throws Exception {
        Files.deleteIfExists(log);
        long started = System.nanoTime();
        Random random = new Random(SEED);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>()); // only grows
        AtomicInteger orders = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        CpuBurner load = LOAD ? CpuBurner.start() : null;
        try {
            for (int round = 0; round < kills; round++) {
                try (NodeProcess node = NodeProcess.start(log, with(database, "--name", "node-" + round))) {
                    int killAfter = 1 + random.nextInt(40);
                    CountDownLatch acks = new CountDownLatch(killAfter);
                    AtomicBoolean killed = new AtomicBoolean();
                    for (int s = 0; s < SENDERS; s++) {
                        senders.submit(() -> {
                            while (!killed.get()) {
                                boolean resend = ThreadLocalRandom.current().nextInt(RESEND_EVERY) == 0
                                        && !acknowledged.isEmpty();
                                String order = resend
                                        ? acknowledged.get(ThreadLocalRandom.current().nextInt(acknowledged.size()))
                                        : "order-" + orders.incrementAndGet();
                                HttpRequest request = HttpRequest.newBuilder(node.baseUri().resolve("callbacks/node/paid/" + order))
                                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build();
                                try {
                                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                                    if (resend) {
                                        resent.incrementAndGet();
                                    } else if (status == 200) {
                                        acknowledged.add(order);
                                        acks.countDown();
                                    }
                                } catch (IOException e) {
                                    // the node died under this request: not acknowledged, so the provider would resend
                                }
                            }
                            return null;
                        });
                    }
                    try {
                        assertThat(acks.await(60, TimeUnit.SECONDS)).as("%d acknowledgements in round %d", killAfter, round)
                                .isTrue();
                        node.kill();
                    } finally {
                        killed.set(true);
                    }
                }
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            senders.shutdownNow();
            if (load != null) {
                load.close();
            }
        }
        int[] health;
        try (NodeProcess last = NodeProcess.start(log, with(database, "--name", "node-last"))) {
            health = last.awaitIdle(Duration.ofSeconds(60));
            last.stop();
        }
        assertThat(health).as("pending, running, dead after the last restart (seed %d)", SEED).containsExactly(0, 0, 0);
        System.out.printf("CrashTest %s: %d kills%s, %d orders sent, %d answered 200, %d re-sent, %d s (seed %d)%n",
                database[0], kills, LOAD ? " under CPU load" : "", orders.get(), acknowledged.size(), resent.get(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), SEED);
        return Set.copyOf(acknowledged);
    }

    /**
     * Every acknowledged order had its effect exactly once and its action ran at least once; no
     * order, acknowledged or not (a kill after the commit, before the 200), had it twice; and
     * effects and idempotency marks, committed together, name the same orders.
     */
    private static void verifyEffects(DataSource db, Set<String> acknowledged) throws SQLException {
        Map<String, Integer> effects = countByKey(db, "SELECT action_key, COUNT(*) FROM " + CallbackNode.EFFECTS
                + " GROUP BY action_key");
        Map<String, Integer> runs = countByKey(db, "SELECT action_key, COUNT(*) FROM " + CallbackNode.RUNS
                + " GROUP BY action_key");
        Map<String, Integer> marks = countByKey(db, "SELECT idem_key, COUNT(*) FROM callbackkit_idempotency WHERE scope = '"
                + CallbackNode.PAID + "' GROUP BY idem_key");

        List<String> lost = new ArrayList<>();
        for (String order : acknowledged) {
            if (!effects.containsKey(order)) {
                lost.add(describe(db, order));
            }
        }
        long twice = effects.values().stream().filter(count -> count > 1).count();
        System.out.printf("CrashTest: %d acknowledged, %d lost, %d with a second effect%n", acknowledged.size(),
                lost.size(), twice);
        assertThat(lost).as("callbacks answered 200 without an effect").isEmpty();
        assertThat(effects).as("orders with an effect more than once").allSatisfy(
                (order, count) -> assertThat(count).as(order).isOne());
        assertThat(marks.keySet()).as("orders marked done").isEqualTo(effects.keySet());
        acknowledged.forEach(order -> assertThat(runs.get(order)).as("runs of " + order).isPositive());
        long rerun = runs.values().stream().filter(count -> count > 1).count();
        System.out.printf("CrashTest: %d effects for %d acknowledged orders; %d actions ran more than once (after a"
                + " kill or a re-sent callback)%n", effects.size(), acknowledged.size(), rerun);
    }

    /** What the database knows of {@code order}: its runs, its mark, its pending action, its journal entries. */
    private static String describe(DataSource db, String order) throws SQLException {
        StringBuilder text = new StringBuilder(order).append(':');
        String[][] queries = {
            {"runs", "SELECT node, attempt, ran_at FROM " + CallbackNode.RUNS + " WHERE action_key = ?"},
            {"mark", "SELECT done_at FROM callbackkit_idempotency WHERE scope = '" + CallbackNode.PAID + "' AND idem_key = ?"},
            {"pending", "SELECT picked, picked_by, execution_time FROM callbackkit_scheduled_tasks WHERE task_instance"
                    + " LIKE '%' || ?"},
            {"journal", "SELECT received_at, outcome, status, detail FROM callbackkit_journal WHERE path LIKE '%/' || ?"}};
        try (Connection connection = db.getConnection()) {
            for (String[] query : queries) {
                text.append(' ').append(query[0]).append('=');
                try (PreparedStatement select = connection.prepareStatement(query[1])) {
                    select.setString(1, order);
                    try (ResultSet rows = select.executeQuery()) {
                        List<String> found = new ArrayList<>();
                        while (rows.next()) {
                            List<String> columns = new ArrayList<>();
                            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                                columns.add(rows.getString(i));
                            }
                            found.add(String.join("/", columns));
                        }
                        text.append(found);
                    }
                }
            }
        }
        return text.toString();
    }

    private static Map<String, Integer> countByKey(DataSource db, String sql) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }

    private static String[] with(String[] database, String... more) {
        String[] args = new String[database.length + more.length];
        System.arraycopy(database, 0, args, 0, database.length);
        System.arraycopy(more, 0, args, database.length, more.length);
        return args;
    }
}
