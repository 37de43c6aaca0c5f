package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input against every endpoint of a provider module, over real HTTP. Extend it, and in
 * {@link #createTarget()} build the module's endpoints on a router with test fakes, one valid
 * sample request per endpoint, the count of listener calls and the scheduler
 * ({@link HostileInputTarget}). The router's journal must hold at least 10,000 entries.
 *
 * <p>The router is mounted at {@code /callbacks/*} on an embedded Jetty on 127.0.0.1, and each
 * sample is broken one way at a time and sent as raw bytes over a fresh connection:
 * truncated, malformed, non-object and trailing JSON; JSON nested 5,000 deep; a 1,000-digit
 * number, a decimal whose exponent no BigDecimal holds, a 100,000-character string, a 1,000-character field name; a duplicate key; invalid
 * UTF-8 and UTF-16; a wrong and a missing content type; a wrong method; 3,000 query parameters;
 * a body over the limit, declared and chunked; a body that stops arriving; a bare CR and a folded
 * header line; CR/LF in a header value handed over by an adapter; dot-dot, encoded slash,
 * encoded dot-dot and NUL in the path; and a language prefix ({@code /en}) inserted before the
 * callback path. Each must be answered with its 4xx (400, 404, 405, 408, 413 or 415) and a short
 * JSON {@code {"error": ...}}, be journaled once as refused, leave the listener count and the
 * scheduler's health as they were, and leave the server answering the valid sample with a 2xx.
 *
 * <p>Three requests are refused by Jetty before any servlet sees them (a bare CR, a folded header
 * line, an encoded NUL in the path): for those the 400 is checked, and a journal entry is expected
 * only if the container let the request through to the router; the router's own refusal of the
 * same (control characters, {@code %00}) is covered by the adapter case and core's tests.
 *
 * <p>The server is Jetty with {@link CallbackServlet} unless {@link #startServer} is overridden to
 * attack another framework's adapter (one built on {@code CallbackRequest.fromRawTarget}). Jetty's URI
 * compliance is set to let ambiguous paths (encoded slashes, dots) reach the router, so that the
 * router's own refusal is what is tested, as it is behind a container that lets them through.
 */
public abstract class HostileInputContract {

    /**
     * The container's idle timeout here: how long a stalled body is waited for. Long enough that a
     * busy machine never idles out a connection between the client's connect and its first byte.
     */
    static final int IDLE_TIMEOUT_MS = 1000;
    private static final int READ_TIMEOUT_MS = 20_000;
    private static final int MAX_REASON_BYTES = 300;
    private static final Set<CallbackOutcome> REFUSED =
            EnumSet.of(CallbackOutcome.REJECTED_INPUT, CallbackOutcome.REJECTED_AUTH, CallbackOutcome.NOT_FOUND);
    private static final int JOURNAL_READ_LIMIT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileInputTarget target;
    private HostileInputServer server;
    private int port;

    /** A fresh target: a router with the module's endpoints and their samples. Called before the suite runs. */
    protected abstract HostileInputTarget createTarget();

    @BeforeEach
    void start() throws Exception {
        target = createTarget();
        server = startServer(target.router());
        port = server.port();
    }

    /**
     * Starts the server under test with {@code router} mounted at {@code /callbacks}, on 127.0.0.1
     * at any free port. By default an embedded Jetty with {@link CallbackServlet}, its idle timeout
     * {@value #IDLE_TIMEOUT_MS} ms and its URI compliance set to let ambiguous paths (encoded
     * slashes, dots) reach the router. Override it to run the contract against another framework's
     * adapter; what that framework's server decides before any adapter runs (a stalled body it
     * never times out, say) it names in {@link HostileInputServer#exemptions()}.
     */
    protected HostileInputServer startServer(CallbackRouter router) throws Exception {
        Server jetty = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder(new CallbackServlet(router)), HostileRequests.MOUNT + "/*");
        jetty.setHandler(context);
        jetty.start();
        int jettyPort = connector.getLocalPort();
        return new HostileInputServer() {
            @Override
            public int port() {
                return jettyPort;
            }

            @Override
            public void close() throws Exception {
                jetty.stop();
            }
        };
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicContainer> everyEndpointRefusesHostileInput() {
        return target.samples().stream().map(sample -> DynamicContainer.dynamicContainer(sample.getKey(),
                Stream.concat(
                        Stream.of(DynamicTest.dynamicTest("the valid sample is accepted", () -> assertHealthy(sample))),
                        HostileRequests.against(sample.getValue(), target.router().maxBodyBytes()).stream()
                                .map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
                                    String exempt = server.exemptions().get(attack.name());
                                    Assumptions.assumeTrue(exempt == null, () -> "exempt for this server: " + exempt);
                                    assertRefused(attack);
                                    assertHealthy(sample);
                                })))));
    }

    private void assertRefused(HostileRequests.Attack attack) throws IOException {
        long calls = target.listenerCalls();
        SchedulerHealth health = target.schedulerHealth();
        int journaled = journal().size();

        Answer answer = attack.routerOnly() != null ? dispatch(attack.routerOnly()) : send(attack.raw());

        String said = attack.name() + ", answered " + answer.status() + " " + answer.text();
        assertThat(answer.status()).as("status for %s", said).isIn(attack.expected());
        List<JournalEntry> entries = journal();
        if (attack.reachesServlet()) {
            assertThat(answer.body().length).as("a short reason for %s", said).isLessThanOrEqualTo(MAX_REASON_BYTES);
            JsonNode reason = JSON.readTree(answer.body());
            assertThat(reason.path("error").isTextual()).as("a JSON {\"error\": ...} reason for %s", said).isTrue();
            assertThat(entries).as("one journal entry for %s", said).hasSize(journaled + 1);
            JournalEntry entry = entries.get(0);
            assertThat(entry.status()).as("journaled status for %s", said).isEqualTo(answer.status());
            assertThat(entry.outcome()).as("journaled outcome for %s", said).isIn(REFUSED);
        } else if (entries.size() != journaled) {
            // this container let it through (Jetty refuses it itself): then the router refused and journaled it
            assertThat(entries).as("one journal entry for %s, which reached the router", said).hasSize(journaled + 1);
            assertThat(entries.get(0).status()).as("journaled status for %s", said).isEqualTo(answer.status());
            assertThat(entries.get(0).outcome()).as("journaled outcome for %s", said).isIn(REFUSED);
        }
        assertThat(target.listenerCalls()).as("listener calls after %s", said).isEqualTo(calls);
        assertThat(target.schedulerHealth()).as("scheduler after %s", said).isEqualTo(health);
    }

    private void assertHealthy(Map.Entry<String, CallbackRequest> sample) throws IOException {
        Answer answer = send(HostileRequests.valid(sample.getValue()));
        assertThat(answer.status()).as("the valid sample %s is accepted: %s", sample.getKey(), answer.text())
                .isBetween(200, 299);
    }

    private Answer dispatch(CallbackRequest request) {
        CallbackResponse response = target.router().dispatch(request.toBuilder()
                .receivedAt(target.router().clock().instant()).build()); // stamped as an adapter would
        return new Answer(response.status(), response.body());
    }

    /** Writes the bytes on a new connection and reads the answer until the server closes it. */
    private Answer send(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the server answered and closed before taking all of it (a body over the limit): read the answer
            }
            return Answer.parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
        } catch (SocketException e) {
            // a reset after the answer (the server closed with unread bytes): what arrived is the answer
        }
        return out.toByteArray();
    }

    /** The whole journal, newest first (a class run writes a few hundred entries). */
    private List<JournalEntry> journal() {
        return target.router().journal().find(JournalQuery.builder().limit(JOURNAL_READ_LIMIT).build());
    }

    /** The status and body of an HTTP/1.1 answer. */
    private record Answer(int status, byte[] body) {

        static Answer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(text.substring(9, 12));
            int end = text.indexOf("\r\n\r\n");
            byte[] body = end < 0 ? new byte[0] : Arrays.copyOfRange(raw, end + 4, raw.length);
            return new Answer(status, body);
        }

        String text() {
            String text = new String(body, StandardCharsets.UTF_8);
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
    }
}
