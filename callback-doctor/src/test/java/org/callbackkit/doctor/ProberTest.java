package org.callbackkit.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.TransportFailure;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a probe sends, and that no answer can hold it longer or feed it more than its bounds. */
class ProberTest {

    private static final ProviderProfile KLARNA = ProviderCatalogue.standard().select(List.of("klarna")).get(0);
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A raw HTTP server that records each request's head and then writes {@code answer} forever or once. */
    private URI serve(String head, byte[] chunk, boolean forever, long chunkPauseMillis) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    List<String> lines = new ArrayList<>();
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        lines.add(line);
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) {
                        read += in.read(body, read, length - read);
                    }
                    lines.add("");
                    lines.add(new String(body));
                    requests.add(String.join("\n", lines));
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    do {
                        out.write(chunk);
                        out.flush();
                        if (chunkPauseMillis > 0) {
                            Thread.sleep(chunkPauseMillis); // the server drips; the test does not wait on it
                        }
                    } while (forever);
                } catch (IOException | InterruptedException e) {
                    // the client hung up, or the test ended
                }
            }
        }, "prober-test-server");
        thread.setDaemon(true);
        thread.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/callbacks");
    }

    private final Prober prober = new Prober(TlsInspector.trusting(null).context(), TlsCorpusTest::resolve, TIMEOUT,
            16 * 1024, Clock.systemUTC());

    private DeliveryAttempt probe(URI mount, int kind) {
        CallbackEndpoint endpoint = KLARNA.endpoints().get(kind);
        return prober.probe(KLARNA, endpoint, Prober.requests(mount, KLARNA, endpoint).get(0), "probe-7", 1,
                Clock.systemUTC().instant());
    }

    @Test
    void isTheProvidersRealRequestAndCarriesTheProbeHeader() throws Exception {
        URI mount = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "{}".getBytes(), false, 0);

        probe(mount, 2); // validation: POST of the whole checkout order

        String order = "f3392f8b-6116-4073-ab96-e330819e2c07";
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request).startsWith("POST /callbacks/klarna/validation/" + order + " HTTP/1.1\nHost: 127.0.0.1:")
                    .contains("\nUser-Agent: APIs-Klarna\nAccept: */*\nContent-Type: application/json\n",
                            "X-Callback-Kit-Probe: probe-7", "\"order_lines\": [", "\"shipping_address\": {",
                            "\"merchant_data\": \"{\\\"cart_hash\\\":");
            assertThat(request.toLowerCase(java.util.Locale.ROOT)).doesNotContain("referer:", "cookie:");
        });
    }

    @Test
    void sendsTheShopsNameInHostWhateverAddressItConnectsTo() throws Exception {
        URI mount = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "{}".getBytes(), false, 0);
        Prober resolving = new Prober(TlsInspector.trusting(null).context(),
                host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})), TIMEOUT, 16 * 1024,
                Clock.systemUTC());
        ProviderProfile blockonomics = ProviderCatalogue.standard().select(List.of("blockonomics")).get(0);
        URI byName = URI.create("http://shop.example.com:" + mount.getPort() + "/callbacks");
        List<Prober.Request> payment = Prober.requests(byName, blockonomics, blockonomics.endpoints().get(0));

        DeliveryAttempt attempt = resolving.probe(blockonomics, blockonomics.endpoints().get(0), payment.get(1), "p", 1,
                Clock.systemUTC().instant());

        assertThat(payment).extracting(Prober.Request::name)
                .containsExactly("blockonomics/payment btc", "blockonomics/payment usdt");
        assertThat(attempt.status()).hasValue(200);
        assertThat(requests).singleElement().satisfies(request -> assertThat(request)
                .startsWith("GET /callbacks/blockonomics/payment?status=2&addr=0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE"
                        + "&value=25000000&txid=0x5a2c7d3e9b1f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d6b8f0a2c4e6d8b0f2a4c"
                        + "&crypto=USDT&testnet=0&secret=")
                .contains("\nHost: shop.example.com:" + mount.getPort() + "\nUser-Agent: curl/8.5.0\nAccept: */*\n")
                .doesNotContain("Content-Length", "Content-Type"));
    }

    @Test
    void aChunkedAnswerIsReadWhole() throws Exception {
        URI mount = serve("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
                + "7\r\n<html>F\r\n9\r\norbidden.\r\n0\r\n\r\n", new byte[0], false, 0);

        DeliveryAttempt attempt = probe(mount, 0);

        assertThat(attempt.status()).hasValue(403);
        assertThat(attempt.bodyStart()).isEqualTo("<html>Forbidden.");
        assertThat(attempt.headers().first("content-type")).contains("text/html");
    }

    @Test
    void anEndlessBodyIsCutAtTheLimit() throws Exception {
        byte[] kilobyte = ("<html>" + "x".repeat(1018)).getBytes(StandardCharsets.US_ASCII);
        URI mount = serve("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", kilobyte, true, 0);
        long started = System.nanoTime();

        DeliveryAttempt attempt = probe(mount, 0);

        assertThat(attempt.status()).hasValue(200);
        assertThat(attempt.bodyStart()).hasSize(DeliveryAttempt.MAX_BODY_START).startsWith("<html>");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(10));
    }

    @Test
    void aBodyThatDripsForeverEndsInATimeout() throws Exception {
        URI mount = serve("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", new byte[] {'x'}, true, 50);
        long started = System.nanoTime();

        DeliveryAttempt attempt = probe(mount, 0);

        assertThat(attempt.failure()).contains(TransportFailure.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(10));
    }
}
