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

    private final Prober prober = new Prober(TlsInspector.trusting(null).context(), TIMEOUT, 16 * 1024, Clock.systemUTC());

    private DeliveryAttempt probe(URI mount, int kind) {
        CallbackEndpoint endpoint = KLARNA.endpoints().get(kind);
        return prober.probe(KLARNA, endpoint, Prober.url(mount, endpoint), "probe-7", 1, Clock.systemUTC().instant());
    }

    @Test
    void looksLikeTheProviderAndCarriesTheProbeHeader() throws Exception {
        URI mount = serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "{}".getBytes(), false, 0);

        probe(mount, 1); // notification: POST application/json

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request).startsWith("POST /callbacks/klarna/notification/callback-kit-probe HTTP/1.1")
                    .contains("User-Agent: APIs-Klarna", "X-Callback-Kit-Probe: probe-7",
                            "Content-Type: application/json; charset=utf-8")
                    .endsWith("\n{\"callback_kit_probe\":true}");
            assertThat(request.toLowerCase(java.util.Locale.ROOT)).doesNotContain("referer:", "cookie:");
        });
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
