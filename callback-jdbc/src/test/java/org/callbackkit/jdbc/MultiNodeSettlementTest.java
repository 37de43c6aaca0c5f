package org.callbackkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once across nodes: two shop nodes on one PostgreSQL, node A in a JVM of its own running
 * the delayed work, node B in the test's JVM (its scheduler not started) taking the shoppers'
 * browser confirmations and the providers' redelivered callbacks, each with its own pool, store and
 * modules: no lock object is shared in memory. Every callback and redelivery travels over real
 * HTTP in the shape the provider documents; the provider APIs are loopback fakes.
 *
 * <p>{@link #theTestCatchesPerJvmLocks()} runs the same harness with the guard the modules had
 * before the engine (a lock per JVM around check, act, record) and shows that it then pays twice.
 */
@ExtendWith(PostgresServer.Extension.class)
class MultiNodeSettlementTest {

    private static final int ORDERS_PER_PROVIDER = 500;
    private static final Path LOG = Path.of("target", "multi-node-test", "node-a.log");

    private final FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
    private final FakeEcsterApi ecsterApi = new FakeEcsterApi();
    private final FakeAvardaApi avardaApi = new FakeAvardaApi();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String url;

    @BeforeEach
    void orders(PostgresServer postgres) {
        url = postgres.newDatabase("multi_node");
        for (int i = 0; i < ORDERS_PER_PROVIDER; i++) {
            klarnaApi.putOrder(KlarnaOrderBuilder.order(klarna(i)).line("sku-1", 1, ProviderNode.KLARNA_AMOUNT).build());
            ecsterApi.putOrder(EcsterOrderBuilder.order(ecster(i)).status("READY")
                    .line("sku-1", "Mug", 1, ProviderNode.ECSTER_AMOUNT).build());
            avardaApi.putPayment(AvardaPaymentBuilder.payment(avarda(i)).step("Completed")
                    .totalPrice(ProviderNode.AVARDA_TOTAL.toPlainString()).build());
        }
    }

    @AfterEach
    void close() {
        klarnaApi.close();
        ecsterApi.close();
        avardaApi.close();
    }

    @Test
    void everyOrderIsPaidOnceAndAcknowledgedOnceOnTwoNodes() throws Exception {
        Outcome outcome = run(false);
        System.out.printf("the engine on two nodes: %d of %d orders paid twice, %d acknowledged twice, %d lost;"
                + " payments by node %s%n", outcome.paidTwice().size(), 3 * ORDERS_PER_PROVIDER,
                outcome.acknowledgedTwice().size(), outcome.lost().size(), outcome.paidByNode());

        assertThat(outcome.paidTwice()).as("orders paid twice").isEmpty();
        assertThat(outcome.acknowledgedTwice()).as("orders acknowledged twice").isEmpty();
        assertThat(outcome.lost()).as("orders never paid").isEmpty();
        // That the two nodes really race is shown by theTestCatchesPerJvmLocks, on the same harness:
        // which node settles which order varies with timing, so it is reported, not asserted.
    }

    @Test
    void theTestCatchesPerJvmLocks() throws Exception {
        Outcome outcome = run(true);
        Map<String, Long> byProvider = outcome.paidTwice().keySet().stream()
                .collect(Collectors.groupingBy(order -> order.substring(0, order.indexOf(' ')), Collectors.counting()));
        System.out.printf("per-JVM locks on two nodes: %d of %d orders paid twice %s, %d of %d Klarna orders"
                + " acknowledged twice%n", outcome.paidTwice().size(), 3 * ORDERS_PER_PROVIDER, byProvider,
                outcome.acknowledgedTwice().size(), ORDERS_PER_PROVIDER);

        // The per-JVM guard makes both nodes check each order before either records it
        // (PerJvmLockedStateStore): every order is paid twice in practice; a meeting that timed out
        // would spare one, so the test asks for the harness to catch the bug at all.
        assertThat(outcome.paidTwice()).as("per-JVM locks pay orders twice").isNotEmpty();
        assertThat(outcome.acknowledgedTwice()).as("and acknowledge Klarna orders twice").isNotEmpty();
    }

    private Outcome run(boolean perJvmLocks) throws Exception {
        URI klarnaBase = klarnaApi.serve();
        URI ecsterBase = ecsterApi.serve();
        URI avardaBase = avardaApi.serve();
        List<String> args = new ArrayList<>(List.of("--postgres", url, "--name", "node-a", "--klarna", klarnaBase.toString(),
                "--ecster", ecsterBase.toString(), "--avarda", avardaBase.toString()));
        if (perJvmLocks) {
            args.add("--per-jvm-locks");
        }
        ExecutorService browsers = Executors.newFixedThreadPool(8);
        try (NodeProcess nodeA = NodeProcess.start(ProviderNode.class, LOG, args.toArray(String[]::new));
                ProviderNode nodeB = new ProviderNode(PostgresServer.pool(url, 20), "node-b", klarnaBase, ecsterBase,
                        avardaBase, perJvmLocks)) {
            URI a = nodeA.baseUri().resolve("callbacks/");
            URI b = URI.create("http://127.0.0.1:" + nodeB.port() + "/callbacks/");
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < ORDERS_PER_PROVIDER; i++) {
                String k = klarna(i);
                String e = ecster(i);
                String p = avarda(i);
                // the callback reaches node A, which runs the delayed work; the browser and a
                // redelivery of the same callback reach node B at the same time
                work.add(browsers.submit(() -> post(a, "klarna/push/" + k, "")));
                work.add(browsers.submit(() -> browser(() -> nodeB.klarna().confirmOrder(k))));
                work.add(browsers.submit(() -> post(b, "klarna/push/" + k, "")));
                work.add(browsers.submit(() -> post(a, "ecster/notification", ecsterNotification(e))));
                work.add(browsers.submit(() -> browser(() -> nodeB.ecster().confirmOrder(e))));
                work.add(browsers.submit(() -> post(b, "ecster/notification", ecsterNotification(e))));
                work.add(browsers.submit(() -> post(a, "avarda/completed", "{\"purchaseId\":\"" + p + "\"}")));
                work.add(browsers.submit(() -> browser(() -> nodeB.avarda().confirmOrder(p))));
                work.add(browsers.submit(() -> post(b, "avarda/completed", "{\"purchaseId\":\"" + p + "\"}")));
            }
            for (Future<?> done : work) {
                done.get(120, TimeUnit.SECONDS);
            }
            int[] health = nodeA.awaitIdle(Duration.ofSeconds(120));
            assertThat(health[0] + health[1]).as("node A finished the delayed work").isZero();
            assertThat(health[2]).as("dead actions").isZero();
            nodeA.stop();
            return outcome();
        } finally {
            browsers.shutdownNow();
        }
    }

    /** Ecster's order event notification as its documentation shows it. */
    private static String ecsterNotification(String orderId) {
        return "{\"orderId\":\"" + orderId + "\",\"orderReference\":\"cart-" + orderId
                + "\",\"status\":\"READY\",\"time\":\"2026-12-07T10:15:30.000+01:00\",\"event\":\"ORDER_STATUS_CHANGED\"}";
    }

    private Void post(URI node, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(30));
        request = json.isEmpty() ? request.POST(HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
        return null;
    }

    /** The shopper's return page: a provider failure that may pass is shown as "processing" and left to the work. */
    private static Void browser(Supplier<?> confirmation) {
        try {
            confirmation.get();
        } catch (ProviderApiException e) {
            assertThat(e.retryable()).as(e.getMessage()).isTrue();
        }
        return null;
    }

    private record Outcome(Map<String, Integer> paidTwice, Map<String, Integer> acknowledgedTwice, List<String> lost,
            Map<String, Integer> paidByNode) {
    }

    private Outcome outcome() throws SQLException {
        Map<String, Integer> paid = new HashMap<>();
        Map<String, Integer> byNode = new HashMap<>();
        try (Connection connection = PostgresServer.pool(url, 1).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT provider, order_id, node FROM " + ProviderNode.EFFECTS)) {
            while (rows.next()) {
                paid.merge(rows.getString(1) + " " + rows.getString(2), 1, Integer::sum);
                byNode.merge(rows.getString(3), 1, Integer::sum);
            }
        }
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < ORDERS_PER_PROVIDER; i++) {
            for (String order : List.of("klarna " + klarna(i), "ecster " + ecster(i), "avarda " + avarda(i))) {
                if (!paid.containsKey(order)) {
                    lost.add(order);
                }
            }
        }
        Map<String, Integer> acknowledged = klarnaApi.acknowledged().stream()
                .collect(Collectors.toMap(id -> id, id -> 1, Integer::sum));
        for (int i = 0; i < ORDERS_PER_PROVIDER; i++) {
            if (!acknowledged.containsKey(klarna(i))) {
                lost.add("klarna acknowledgement " + klarna(i));
            }
        }
        return new Outcome(over1(paid), over1(acknowledged), lost, byNode);
    }

    private static Map<String, Integer> over1(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(entry -> entry.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String klarna(int i) {
        return String.format("0b1d9815-165e-42e2-8867-%012d", i);
    }

    private static String ecster(int i) {
        return "ecsterOrder" + i;
    }

    private static String avarda(int i) {
        return "avardaPurchase" + i;
    }
}
