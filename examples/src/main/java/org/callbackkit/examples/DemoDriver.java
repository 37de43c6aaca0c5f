package org.callbackkit.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * Sends callbacks to a running {@link DemoShop} over real HTTP and prints, for each, what was
 * sent, what the shop answered, and what its journal recorded. {@link #run()} says whether every
 * scenario got the expected status and journal outcome.
 */
public final class DemoDriver {

    /** Lets the shop's delayed work run, however the caller arranges that. */
    @FunctionalInterface
    public interface DelayedWork {
        /** Returns once the delayed work ran (true) or cannot be waited for any longer (false). */
        boolean letRun() throws IOException, InterruptedException;
    }

    private static final String JSON = "application/json";
    private static final String PAYMENT = "{\"event\":\"PAID\",\"amount\":" + DemoShop.DEMO_ORDER_AMOUNT + "}";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI baseUri;
    private final String secret;
    private final String blockonomicsSecret;
    private final DelayedWork delayedWork;
    private final PrintStream out;
    private final HttpClient http = client();
    private int passed;
    private int failed;

    /**
     * @param baseUri the shop's base, e.g. {@code http://127.0.0.1:8080/}
     * @param secret the demo provider's shared secret
     * @param blockonomicsSecret the secret of the shop's Blockonomics callback URL
     * @param delayedWork called after the demo provider's callbacks and again after the checkout
     *     notifications, to let the delayed actions run
     * @param out where the report goes
     */
    public DemoDriver(URI baseUri, String secret, String blockonomicsSecret, DelayedWork delayedWork,
            PrintStream out) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.blockonomicsSecret = Objects.requireNonNull(blockonomicsSecret, "blockonomicsSecret");
        this.delayedWork = Objects.requireNonNull(delayedWork, "delayedWork");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Waits for a shop's real scheduler: polls {@code /callbacks/health} every 100 ms until nothing
     * is pending or running, for at most {@code timeout}.
     */
    public static DelayedWork pollingHealth(URI baseUri, Duration timeout) {
        HttpClient http = client();
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("callbacks/health")).timeout(TIMEOUT).build();
        return () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode health = DemoJson.MAPPER.readTree(
                        http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (health.path("pending").asInt(-1) == 0 && health.path("running").asInt(-1) == 0) {
                    return true;
                }
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(100);
            }
        };
    }

    /** Runs every scenario in order; true if each got the expected status and journal outcome. */
    public boolean run() throws IOException, InterruptedException {
        String order = DemoShop.DEMO_ORDER_ID;
        String paymentPath = "callbacks/demo/payment/" + order;

        check("valid payment", post(paymentPath, JSON, PAYMENT, secret), 200, "ACCEPTED");
        check("same payment again", post(paymentPath, JSON, PAYMENT, secret), 200, "DUPLICATE");
        check("wrong secret", post(paymentPath, JSON, PAYMENT, "not-the-secret"), 403, "REJECTED_AUTH");
        check("malformed JSON", post(paymentPath, JSON, "{\"event\":\"PAID\",", secret), 400, "REJECTED_INPUT");
        check("wrong content type", post(paymentPath, "text/plain", PAYMENT, secret), 415, "REJECTED_INPUT");
        check("GET instead of POST", request(paymentPath).GET().header(DemoShop.SECRET_HEADER, secret).build(),
                405, "REJECTED_INPUT");
        check("unknown path", post("callbacks/demo/refund/" + order, JSON, PAYMENT, secret), 404, "NOT_FOUND");
        check("unknown order", post("callbacks/demo/payment/9999", JSON, PAYMENT, secret), 404, "NOT_FOUND");
        String oversized = "{\"event\":\"PAID\",\"amount\":1,\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
        check("oversized body (300 KiB)", "POST /" + paymentPath + " " + JSON + " " + oversized.length()
                + " B, Expect: 100-continue", () -> postExpectingContinue(paymentPath, oversized), 413,
                "REJECTED_INPUT");

        out.println("... letting the delayed payment action run");
        boolean ran = delayedWork.letRun();
        String status = orderStatus(order);
        report(ran && status.equals("PAID"), String.format("%-24s GET /orders/%s -> %s%s", "order after the action",
                order, status, ran ? "" : " (the delayed work did not finish in time)"));

        check("payment once more", post(paymentPath, JSON, PAYMENT, secret), 200, "DUPLICATE");

        BlockonomicsCallbackRequests bitcoin = new BlockonomicsCallbackRequests(blockonomicsSecret);
        String address = DemoShop.BITCOIN_ADDRESS;
        long satoshi = DemoShop.BITCOIN_AMOUNT_SATOSHI;
        check("bitcoin in mempool", blockonomics(bitcoin.unconfirmed(address, satoshi, "demo-tx-1")), 200, "ACCEPTED");
        check("bitcoin 1 confirmation", blockonomics(bitcoin.partiallyConfirmed(address, satoshi, "demo-tx-1")), 200,
                "ACCEPTED");
        check("bitcoin 2 confirmations", blockonomics(bitcoin.confirmed(address, satoshi, "demo-tx-1")), 200,
                "ACCEPTED");
        check("bitcoin callback again", blockonomics(bitcoin.confirmed(address, satoshi, "demo-tx-1")), 200,
                "DUPLICATE");
        checkOrder(DemoShop.BITCOIN_ORDER_ID, "PAID");
        check("bitcoin underpayment", blockonomics(bitcoin.confirmed(DemoShop.UNDERPAID_ADDRESS, satoshi * 6 / 10,
                "demo-tx-2")), 200, "ACCEPTED");
        check("forged bitcoin callback", blockonomics(new BlockonomicsCallbackRequests("forged-secret-0123456789")
                .confirmed(DemoShop.UNDERPAID_ADDRESS, satoshi, "forged-tx")), 403, "REJECTED_AUTH");
        checkOrder(DemoShop.UNDERPAID_ORDER_ID, "PENDING");

        KlarnaCallbackRequests klarna = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
        check("klarna validation", klarna(klarna.validation(DemoKlarna.soldOutCart())), 303, "ACCEPTED");
        check("klarna push", klarna(klarna.push(DemoShop.KLARNA_ORDER_ID)), 200, "ACCEPTED");
        out.println("... the shopper never returns to the confirmation page; letting the push work run");
        boolean pushed = delayedWork.letRun();
        String klarnaOrder = orderStatus(DemoShop.KLARNA_SHOP_ORDER_ID);
        report(pushed && klarnaOrder.equals("PAID"), String.format("%-24s GET /orders/%s -> %s%s", "order after the push",
                DemoShop.KLARNA_SHOP_ORDER_ID, klarnaOrder, pushed ? "" : " (the push work did not finish in time)"));
        JsonNode completed = DemoJson.MAPPER.readTree(get("callbacks/journal?provider=klarna&limit=1").body())
                .path("entries").path(0);
        report(completed.path("kind").asText().equals(KlarnaCallbacks.PUSH_COMPLETED), String.format("%-24s %s: %s",
                "journal, newest klarna", completed.path("kind").asText("(none)"), completed.path("detail").asText()));
        check("klarna push again", klarna(klarna.push(DemoShop.KLARNA_ORDER_ID)), 200, "DUPLICATE");
        checkouts();

        out.println("journal by outcome: " + journalCounts());
        out.printf("scenarios: %d as expected, %d not%n", passed, failed);
        return failed == 0;
    }

    /**
     * Ecster and Avarda, each twice: the mobile case (the notification arrives, the shopper never
     * returns to the browser, the order completes after the delay) and the race (the browser
     * returns before the delay, and the delayed action then finds the order paid).
     */
    private void checkouts() throws IOException, InterruptedException {
        EcsterCallbackRequests ecster = new EcsterCallbackRequests()
                .sharedHeader(DemoEcster.HEADER, DemoEcster.HEADER_VALUE);
        AvardaCallbackRequests avarda = new AvardaCallbackRequests().authorization(DemoAvarda.AUTHORIZATION);
        check("ecster, app, no return", send(ecster.notification(DemoEcster.MOBILE_ORDER, "FULLY_DELIVERED", "FULL_DEBIT")),
                200, "ACCEPTED");
        check("ecster, browser returns", send(ecster.notification(DemoEcster.RACE_ORDER, "FULLY_DELIVERED", "FULL_DEBIT")),
                200, "ACCEPTED");
        checkReturn(DemoShop.ECSTER_RETURN_PATH + "?orderId=" + DemoEcster.RACE_ORDER);
        check("forged ecster callback", send(new EcsterCallbackRequests().sharedHeader(DemoEcster.HEADER, "guessed")
                .notification(DemoEcster.MOBILE_ORDER, "READY")), 403, "REJECTED_AUTH");
        check("avarda, app, no return", send(avarda.completed(DemoAvarda.MOBILE_PURCHASE)), 200, "ACCEPTED");
        check("avarda, browser returns", send(avarda.completed(DemoAvarda.RACE_PURCHASE)), 200, "ACCEPTED");
        checkReturn(DemoShop.AVARDA_RETURN_PATH + "?purchaseId=" + DemoAvarda.RACE_PURCHASE);
        check("avarda, unknown purchase", send(avarda.completed("avardaUnknown9")), 404, "REJECTED_INPUT");

        out.println("... the shoppers who paid in another app never return; letting the delayed checkout actions run");
        boolean ran = delayedWork.letRun();
        report(ran, String.format("%-24s %s", "delayed checkout actions", ran ? "ran" : "did not finish in time"));
        for (String order : DemoShop.ECSTER_SHOP_ORDERS) {
            checkOrder(order, "PAID");
        }
        for (String order : DemoShop.AVARDA_SHOP_ORDERS) {
            checkOrder(order, "PAID");
        }
        check("avarda, sent again", send(avarda.completed(DemoAvarda.MOBILE_PURCHASE)), 200, "DUPLICATE");
    }

    /** The shopper's browser back on the shop's return page: the order is confirmed there and then. */
    private void checkReturn(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery.substring(1));
        JsonNode answer = DemoJson.MAPPER.readTree(response.body());
        report(response.statusCode() == 200 && answer.path("result").asText().equals("SETTLED"),
                String.format("%-24s GET %s -> %d %s", "browser return page", pathAndQuery, response.statusCode(),
                        answer.path("result").asText(response.body())));
    }

    /** A callback a provider module's test helper built, sent as it is below the shop's callback mount. */
    private HttpRequest send(CallbackRequest callback) {
        HttpRequest.Builder request = request("callbacks" + callback.pathAndQuery())
                .method(callback.method(), HttpRequest.BodyPublishers.ofByteArray(callback.body()));
        callback.headers().asMap().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        return request.build();
    }

    /** Sends a valid payment callback for {@code order}; true if answered 200 and journaled ACCEPTED. */
    public boolean pay(String order) throws InterruptedException {
        int failedBefore = failed;
        check("payment for " + order, post("callbacks/demo/payment/" + order, JSON, PAYMENT, secret), 200, "ACCEPTED");
        return failed == failedBefore;
    }

    /** Reports the status of {@code order}; true if it is {@code expected}. */
    public boolean orderHasStatus(String order, String expected) throws IOException, InterruptedException {
        int failedBefore = failed;
        checkOrder(order, expected);
        return failed == failedBefore;
    }

    private void checkOrder(String order, String expected) throws IOException, InterruptedException {
        String status = orderStatus(order);
        report(status.equals(expected), String.format("%-24s GET /orders/%s -> %s", "order " + order, order, status));
    }

    /** A Klarna callback, as {@link KlarnaCallbackRequests} builds it, below the shop's callback mount. */
    private HttpRequest klarna(CallbackRequest.Builder builder) {
        return send(builder.build());
    }

    /** A Blockonomics callback as a GET below the shop's callback mount. */
    private HttpRequest blockonomics(CallbackRequest callback) {
        return send(callback);
    }

    /** What the shop answered: enough to print and check. */
    private record Answer(int status, Optional<String> allow, String body) {
    }

    @FunctionalInterface
    private interface Exchange {
        Answer send() throws IOException, InterruptedException;
    }

    private void check(String name, HttpRequest request, int status, String outcome) throws InterruptedException {
        String sent = request.method() + " /" + baseUri.relativize(request.uri()).toString()
                .replaceAll("secret=[^&]*", "secret=***")
                + request.headers().firstValue("Content-Type").map(type -> " " + type).orElse("")
                + request.bodyPublisher().filter(body -> body.contentLength() > 0)
                        .map(body -> " " + body.contentLength() + " B").orElse("");
        check(name, sent, () -> {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Allow"), response.body());
        }, status, outcome);
    }

    private void check(String name, String sent, Exchange exchange, int status, String outcome)
            throws InterruptedException {
        try {
            Answer answer = exchange.send();
            JsonNode entry = DemoJson.MAPPER.readTree(get("callbacks/journal?limit=1").body()).path("entries").path(0);
            String journaled = entry.path("outcome").asText("(none)");
            boolean ok = answer.status() == status && entry.path("status").asInt() == status
                    && journaled.equals(outcome) && (status != 405 || answer.allow().isPresent());
            report(ok, String.format("%-24s %s -> %d%s %s | journal: %s, %s", name, sent, answer.status(),
                    answer.allow().map(methods -> " Allow: " + methods).orElse(""),
                    answer.body().isEmpty() ? "(no body)" : answer.body(), journaled, entry.path("detail").asText()));
        } catch (IOException e) {
            report(false, String.format("%-24s %s -> %s", name, sent, e));
        }
    }

    private void report(boolean ok, String line) {
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        out.println((ok ? "[ok]   " : "[FAIL] ") + line);
    }

    private String orderStatus(String order) throws IOException, InterruptedException {
        HttpResponse<String> response = get("orders/" + order);
        return response.statusCode() == 200
                ? DemoJson.MAPPER.readTree(response.body()).path("status").asText()
                : "HTTP " + response.statusCode();
    }

    private Map<String, Integer> journalCounts() throws IOException, InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode entry : DemoJson.MAPPER.readTree(get("callbacks/journal?limit=10000").body()).path("entries")) {
            counts.merge(entry.path("outcome").asText(), 1, Integer::sum);
        }
        return counts;
    }

    private HttpRequest post(String path, String contentType, String body, String secret) {
        return request(path)
                .header("Content-Type", contentType)
                .header(DemoShop.SECRET_HEADER, secret)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path)).timeout(TIMEOUT);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /**
     * POSTs {@code body} the way a careful client sends a large body: headers first with
     * {@code Expect: 100-continue}, the body only after {@code 100 Continue}. A shop that refuses
     * the declared size answers at once and closes; had the body been on its way, the close could
     * reset the connection before the client read the answer. A plain socket, because
     * java.net.http on JDK 17 hangs when such an exchange ends in a final answer with
     * {@code Connection: close}.
     */
    private Answer postExpectingContinue(String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(baseUri.getHost(), baseUri.getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream output = socket.getOutputStream();
            InputStream input = new BufferedInputStream(socket.getInputStream());
            output.write(("POST /" + path + " HTTP/1.1\r\n"
                    + "Host: " + baseUri.getHost() + ":" + baseUri.getPort() + "\r\n"
                    + "Content-Type: " + JSON + "\r\n"
                    + DemoShop.SECRET_HEADER + ": " + secret + "\r\n"
                    + "Content-Length: " + bytes.length + "\r\n"
                    + "Expect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            output.flush();
            Answer answer = readAnswer(input);
            if (answer.status() == 100) {
                output.write(bytes);
                output.flush();
                answer = readAnswer(input);
            }
            return answer;
        }
    }

    private static Answer readAnswer(InputStream input) throws IOException {
        String statusLine = readLine(input);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Optional<String> allow = Optional.empty();
        int length = 0;
        for (String line = readLine(input); !line.isEmpty(); line = readLine(input)) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("allow")) {
                allow = Optional.of(value);
            }
        }
        byte[] body = input.readNBytes(length);
        if (body.length < length) {
            throw new IOException("answer ended after " + body.length + " of " + length + " body bytes");
        }
        return new Answer(status, allow, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream input) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = input.read(); b != '\n'; b = input.read()) {
            if (b < 0) {
                throw new IOException("connection closed before the answer was complete");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
