package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet over real HTTP on embedded Jetty, plus one test of how much it reads. */
class CallbackServletTest {

    private static final int LIMIT = 4096;

    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal(100);
    private final List<CallbackRequest> received = new CopyOnWriteArrayList<>();
    private static final int IDLE_TIMEOUT_MS = 1000;

    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        CallbackRouter router = CallbackRouter.builder()
                .journal(journal)
                .maxBodyBytes(LIMIT)
                .endpoint(CallbackEndpoint.builder("test", "echo").path("/echo/{id}").methods("POST", "GET")
                        .handler(request -> {
                            received.add(request);
                            return CallbackResponse.of(200, CallbackHeaders.of("Content-Type", "application/octet-stream"),
                                    request.body());
                        }).build())
                .endpoint(CallbackEndpoint.builder("test", "crash").path("/crash").methods("POST")
                        .handler(request -> {
                            throw new IllegalStateException("boom");
                        }).build())
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS); // a stalled body fails the read after this, not after Jetty's 30 s
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/shop");
        context.addServlet(new ServletHolder(new CallbackServlet(router)), "/callbacks/*");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder to(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shop/callbacks" + pathAndQuery));
    }

    @Test
    void rawBodyBytesSurviveByteForByte() throws Exception {
        byte[] body = "{\"name\":\"Åsa Öberg ☃\"}\r\n\r\nline two\r\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = send(to("/echo/1").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(received.get(0).body()).isEqualTo(body);
    }

    @Test
    void pathIsBelowTheMountAndQueryAndHeadersArrive() throws Exception {
        send(to("/echo/A%20B?status=2&addr=bc1q&note=a%26b&flag").header("X-Mixed-Case", "v1")
                .POST(HttpRequest.BodyPublishers.noBody()));

        CallbackRequest request = received.get(0);
        assertThat(request.path()).isEqualTo("/echo/A%20B");
        assertThat(request.pathParameter("id")).contains("A B");
        assertThat(request.queryParameter("status")).contains("2");
        assertThat(request.queryParameter("note")).contains("a&b");
        assertThat(request.queryParameter("flag")).contains("");
        assertThat(request.headers().first("x-mixed-case")).contains("v1");
        assertThat(request.headers().first("X-MIXED-CASE")).contains("v1");
        assertThat(request.remoteAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void theQueryIsDecodedPairByPairWithEmptyPairsSkipped() {
        CallbackRequest.Builder builder = CallbackRequest.builder().method("GET").path("/q").receivedAt(java.time.Instant.EPOCH);

        assertThat(CallbackRequest.decodeQuery("&a=1&&b=&c&a=2&d=x=y&e=%20+&", builder)).isNull();

        assertThat(builder.build().query()).containsExactly(
                java.util.Map.entry("a", List.of("1", "2")), java.util.Map.entry("b", List.of("")),
                java.util.Map.entry("c", List.of("")), java.util.Map.entry("d", List.of("x=y")),
                java.util.Map.entry("e", List.of("  ")));
    }

    @Test
    void aQueryPairWithoutANameOrWithABadEscapeIsAReason() {
        CallbackRequest.Builder builder = CallbackRequest.builder().method("GET").path("/q").receivedAt(java.time.Instant.EPOCH);

        assertThat(CallbackRequest.decodeQuery("a=1&=x", builder)).isEqualTo("query parameter without a name");
        assertThat(CallbackRequest.decodeQuery("a=%zz", builder)).startsWith("malformed query string");
    }

    @Test
    void repeatedHeadersKeepEveryValueInOrderWhateverTheirCase() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10 * IDLE_TIMEOUT_MS);
            socket.getOutputStream().write(("GET /shop/callbacks/echo/1 HTTP/1.1\r\nHost: x\r\nX-Hop: a\r\n"
                    + "x-hop: b\r\nX-HOP: c\r\nX-Single: s\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        CallbackHeaders headers = received.get(0).headers();
        assertThat(headers.all("x-hop")).containsExactly("a", "b", "c");
        assertThat(headers.all("X-Single")).containsExactly("s");
        assertThat(headers.asMap().keySet()).filteredOn(name -> name.equalsIgnoreCase("x-hop")).hasSize(1);
        assertThat(received.get(0).body()).isEmpty();
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<byte[]> response = send(to("/nope").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(journal.find(JournalQuery.all())).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.NOT_FOUND));
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<byte[]> response = send(to("/crash").GET());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).contains("POST");
    }

    @Test
    void handlerCrashIs500WithoutStackTrace() throws Exception {
        HttpResponse<byte[]> response = send(to("/crash").POST(HttpRequest.BodyPublishers.noBody()));
        String body = new String(response.body(), StandardCharsets.UTF_8);

        assertThat(response.statusCode()).isEqualTo(500);
        String id = journal.find(JournalQuery.all()).get(0).id();
        assertThat(body).isEqualTo("{\"error\":\"internal error\",\"id\":\"" + id + "\"}");
        assertThat(body).doesNotContain("boom", "Exception", "\tat ");
    }

    @Test
    void malformedQueryIs400AndJournaled() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) { // java.net.URI refuses to build this request
            socket.getOutputStream().write(("POST /shop/callbacks/echo/1?x=%zz HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 400");
        }
        assertThat(received).isEmpty();
        assertThat(journal.find(JournalQuery.all())).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    private String rawStatusLine(String requestTarget) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + requestTarget + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return readLine(socket.getInputStream());
        }
    }

    @Test
    void invalidUtf8OrNamelessQueryParametersAre400AndJournaled() throws Exception {
        assertThat(rawStatusLine("/shop/callbacks/echo/1?secret=%FF%FE")).startsWith("HTTP/1.1 400");
        assertThat(rawStatusLine("/shop/callbacks/echo/1?=x")).startsWith("HTTP/1.1 400");
        assertThat(received).isEmpty();
        assertThat(journal.find(JournalQuery.all())).hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT));
    }

    @Test
    void pathParametersAreRefusedAndTheBareMountIsTheRootPath() throws Exception {
        assertThat(rawStatusLine("/shop/callbacks/echo/1;jsessionid=abc")).startsWith("HTTP/1.1 400");
        assertThat(rawStatusLine("/shop/callbacks")).startsWith("HTTP/1.1 404");
        assertThat(received).isEmpty();
        List<JournalEntry> entries = journal.find(JournalQuery.all());
        assertThat(entries).extracting(JournalEntry::path).containsExactlyInAnyOrder("/echo/1;jsessionid=abc", "/");
    }

    @Test
    void declaredOversizedBodyIs413BeforeTheClientSendsIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /shop/callbacks/echo/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 50000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]); // 1 KB of the promised 50 MB, then nothing
            out.flush();

            String statusLine = readLine(socket.getInputStream());
            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
        assertThat(received).isEmpty();
        JournalEntry entry = journal.find(JournalQuery.all()).get(0);
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(entry.bodyBytes()).isZero();
    }

    @Test
    void aBodyThatStopsArrivingIs408AndJournaledWhenTheIdleTimeoutFires() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10 * IDLE_TIMEOUT_MS); // bounds the wait should the server never answer
            OutputStream out = socket.getOutputStream();
            out.write(("POST /shop/callbacks/echo/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"orderId\":").getBytes(StandardCharsets.US_ASCII));
            out.flush(); // 12 of the 100 bytes, then silence: a slow-body (slowloris) client

            assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 408");
        }
        assertThat(received).isEmpty();
        JournalEntry entry = journal.find(JournalQuery.all()).get(0);
        assertThat(entry.status()).isEqualTo(408);
        assertThat(entry.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertThat(entry.detail()).isEqualTo("request body did not arrive in time");
    }

    @Test
    void chunkedBodyOverTheLimitIs413WhileTheClientIsStillSending() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /shop/callbacks/echo/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024];
            for (int i = 0; i < 5; i++) { // 5 KiB against a 4 KiB limit; the last chunk never comes
                out.write("400\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();

            assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
        }
        assertThat(received).isEmpty();
        assertThat(journal.find(JournalQuery.all()).get(0).bodyBytes()).isEqualTo(LIMIT + 1);
    }

    @Test
    void readsAtMostOneByteOverTheLimit() throws Exception {
        AtomicLong read = new AtomicLong();
        ServletInputStream endless = new ServletInputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 'x';
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        HttpServletRequest http = mock(HttpServletRequest.class);
        when(http.getMethod()).thenReturn("POST");
        when(http.getRequestURI()).thenReturn("/callbacks/echo/1");
        when(http.getContextPath()).thenReturn("");
        when(http.getServletPath()).thenReturn("/callbacks");
        when(http.getPathInfo()).thenReturn("/echo/1");
        jakarta.servlet.http.HttpServletMapping mapping = mock(jakarta.servlet.http.HttpServletMapping.class);
        when(mapping.getMappingMatch()).thenReturn(jakarta.servlet.http.MappingMatch.PATH);
        when(http.getHttpServletMapping()).thenReturn(mapping);
        when(http.getHeaderNames()).thenReturn(Collections.emptyEnumeration());
        when(http.getContentLengthLong()).thenReturn(-1L);
        when(http.getInputStream()).thenReturn(endless);
        HttpServletResponse out = mock(HttpServletResponse.class);
        when(out.getOutputStream()).thenReturn(new CapturingOutput());

        CallbackRouter router = CallbackRouter.builder().maxBodyBytes(LIMIT).journal(journal)
                .endpoint(CallbackEndpoint.builder("test", "echo").path("/echo/{id}").methods("POST")
                        .handler(r -> CallbackResponse.ok()).build())
                .build();
        new CallbackServlet(router).service(http, out);

        assertThat(read.get()).isEqualTo(LIMIT + 1);
        org.mockito.Mockito.verify(out).setStatus(413);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).trim();
    }

    private static final class CapturingOutput extends jakarta.servlet.ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(jakarta.servlet.WriteListener listener) {
        }
    }
}
