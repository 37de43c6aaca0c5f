package org.callbackkit.doctor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.TransportFailure;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;

/**
 * Sends one probe that is the provider's real request: the method, query, headers and body of the
 * provider module's sample of that kind ({@link ProviderProfile#samples()}), the provider's
 * {@code User-Agent}, an {@code Accept} header ({@code *}{@code /*} where the provider's is not
 * documented), the shop's host name in {@code Host} (whatever address it connects to), no
 * {@code Referer}, no cookies, and {@link CallbackRouter#PROBE_HEADER} so the shop's router answers
 * without touching any order. Speaks HTTP/1.1 itself, so it alone decides every header sent and
 * can connect to an address other than the name's (the doctor's {@code --resolve}). Never follows
 * a redirect; bounds the time of the whole exchange and the bytes read.
 */
final class Prober {

    /** What replaces each {@code {name}} segment of an endpoint's path when no sample has that shape. */
    static final String PATH_VALUE = "callback-kit-probe";
    /** {@code Accept} where the provider's is not documented: what common HTTP clients (curl) send. */
    static final String DEFAULT_ACCEPT = "*/*";
    /** Headers a probe never copies from a sample: the connection's own, and a browser's. */
    private static final Set<String> NOT_COPIED = Set.of("host", "content-length", "connection", "transfer-encoding",
            "referer", "cookie", CallbackRouter.PROBE_HEADER.toLowerCase(Locale.ROOT));
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /**
     * One request of a probe.
     *
     * @param name what the report calls it: {@code provider/kind}, plus the sample's name when a kind has several
     * @param url where it goes (the shop's host name, never replaced by an address)
     * @param method the HTTP method
     * @param headers the headers in the order sent, {@code Host} and the probe header left out
     * @param body the body, empty for none
     */
    record Request(String name, URI url, String method, Map<String, String> headers, byte[] body) {
        Request {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    private final SSLContext tls;
    private final HostResolver resolver;
    private final Duration timeout;
    private final int maxBodyBytes;
    private final Clock clock;

    Prober(SSLContext tls, HostResolver resolver, Duration timeout, int maxBodyBytes, Clock clock) {
        this.tls = tls;
        this.resolver = resolver;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /**
     * The requests that probe {@code endpoint} below {@code mountUrl}: one per sample of the
     * provider whose path has the endpoint's shape (Blockonomics' payment: a BTC and a USDT
     * payment); the first sample on the endpoint's path when none has it; a bare request (method,
     * content type, {@code {}} for JSON) when the provider has no samples.
     */
    static List<Request> requests(URI mountUrl, ProviderProfile provider, CallbackEndpoint endpoint) {
        String mount = mountUrl.toString().endsWith("/") ? mountUrl.toString().substring(0, mountUrl.toString().length() - 1)
                : mountUrl.toString();
        Pattern shape = Pattern.compile(Arrays.stream(endpoint.path().split("\\{[^}/]+}", -1))
                .map(part -> part.isEmpty() ? "" : Pattern.quote(part)).reduce((a, b) -> a + "[^/]+" + b).orElse(""));
        Map<String, CallbackRequest> samples = provider.samples().of(endpoint.kind());
        Map<String, CallbackRequest> shaped = new LinkedHashMap<>();
        samples.forEach((name, sample) -> {
            if (shape.matcher(sample.path()).matches()) {
                shaped.put(name, sample);
            }
        });
        String base = provider.name() + "/" + endpoint.kind();
        String filled = endpoint.path().replaceAll("\\{[^}/]+}", PATH_VALUE);
        if (shaped.isEmpty() && !samples.isEmpty()) {
            Map.Entry<String, CallbackRequest> first = samples.entrySet().iterator().next();
            CallbackRequest sample = first.getValue().toBuilder().path(filled).build();
            return List.of(request(base, URI.create(mount + sample.pathAndQuery()), provider, endpoint, sample));
        }
        if (shaped.isEmpty()) {
            String method = endpoint.methods().iterator().next();
            String contentType = endpoint.contentTypes().isEmpty() ? null : endpoint.contentTypes().iterator().next();
            CallbackRequest.Builder bare = CallbackRequest.builder().method(method).path(filled);
            if (contentType != null && !method.equals("GET") && !method.equals("HEAD")) {
                bare.header("Content-Type", contentType)
                        .body(contentType.contains("json") ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0]);
            }
            return List.of(request(base, URI.create(mount + filled), provider, endpoint, bare.build()));
        }
        List<Request> requests = new ArrayList<>();
        shaped.forEach((name, sample) -> requests.add(request(shaped.size() == 1 ? base : base + " " + name,
                URI.create(mount + sample.pathAndQuery()), provider, endpoint, sample)));
        return List.copyOf(requests);
    }

    private static Request request(String name, URI url, ProviderProfile provider, CallbackEndpoint endpoint,
            CallbackRequest sample) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", sample.headers().first("User-Agent").orElse(provider.userAgent()));
        headers.put("Accept", sample.headers().first("Accept").orElse(DEFAULT_ACCEPT));
        sample.headers().first("Content-Type").or(() -> sample.bodyLength() == 0 || endpoint.contentTypes().isEmpty()
                ? Optional.empty() : Optional.of(endpoint.contentTypes().iterator().next()))
                .ifPresent(type -> headers.put("Content-Type", type));
        sample.headers().asMap().forEach((header, values) -> {
            if (!NOT_COPIED.contains(header.toLowerCase(Locale.ROOT)) && headers.keySet().stream()
                    .noneMatch(header::equalsIgnoreCase) && !values.isEmpty()) {
                headers.put(header, values.get(0));
            }
        });
        return new Request(name, url, sample.method(), headers, sample.body());
    }

    /**
     * Sends the probe and reads what came back as a delivery attempt; never throws for what the
     * network or the server does.
     *
     * @param attemptNumber 1, or the request's place in a burst
     * @param firstAttemptAt when the first request of a burst was sent
     */
    DeliveryAttempt probe(ProviderProfile provider, CallbackEndpoint endpoint, Request request, String probeId,
            int attemptNumber, Instant firstAttemptAt) {
        Instant sent = clock.instant();
        DeliveryAttempt.Builder attempt = DeliveryAttempt.builder(provider.name(), endpoint.kind())
                .attemptedAt(sent)
                .firstAttemptAt(attemptNumber == 1 ? sent : firstAttemptAt)
                .attemptNumber(attemptNumber)
                .url(request.url())
                .probe(true);
        long deadline = System.nanoTime() + timeout.toNanos() * 2; // the request timeout covers the headers; this the body too
        URI url = request.url();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        boolean https = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        try {
            InetAddress address = resolver.resolve(host).get(0);
            try (Socket socket = connect(address, host, port, https)) {
                socket.getOutputStream().write(head(request, probeId));
                socket.getOutputStream().write(request.body());
                socket.getOutputStream().flush();
                Response response = read(socket, request.method(), deadline);
                return attempt.status(response.status()).headers(CallbackHeaders.of(response.headers()))
                        .bodyStart(new String(response.body(), StandardCharsets.UTF_8)).build();
            }
        } catch (SocketTimeoutException e) {
            return attempt.failure(TransportFailure.TIMEOUT,
                    "no complete answer within " + timeout.toMillis() * 2 + " ms").build();
        } catch (IOException | RuntimeException e) {
            Failures.Failure failure = Failures.of(e);
            return attempt.failure(failure.kind(), failure.message()).build();
        }
    }

    private Socket connect(InetAddress address, String host, int port, boolean https) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            if (!https) {
                return plain;
            }
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.matches("[0-9.]+|.*:.*")) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** The request line and headers: {@code Host} first, as clients send it, then the probe's headers in order. */
    private static byte[] head(Request request, String probeId) {
        URI url = request.url();
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(url.getHost()).append(url.getPort() > 0 ? ":" + url.getPort() : "").append("\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append(CallbackRouter.PROBE_HEADER).append(": ").append(probeId).append("\r\n");
        if (request.body().length > 0 || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private Response read(Socket socket, String method, long deadline) throws IOException {
        Bounded in = new Bounded(socket, deadline);
        int status;
        Map<String, List<String>> headers;
        do { // an interim 1xx answer is followed by the real one
            String statusLine = in.line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                throw new IOException("not an HTTP answer: " + statusLine.substring(0, Math.min(80, statusLine.length())));
            }
            status = Integer.parseInt(parts[1]);
            headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = in.line(); !line.isEmpty(); line = in.line()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).strip(), n -> new ArrayList<>())
                            .add(line.substring(colon + 1).strip());
                }
            }
        } while (status >= 100 && status < 200);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (method.equals("HEAD") || status == 204 || status == 304) {
            return new Response(status, headers, body.toByteArray());
        }
        String encoding = headers.getOrDefault("Transfer-Encoding", List.of()).toString().toLowerCase(Locale.ROOT);
        List<String> length = headers.getOrDefault("Content-Length", List.of());
        if (encoding.contains("chunked")) {
            for (long size = chunkSize(in.line()); size > 0 && body.size() < maxBodyBytes; size = chunkSize(in.line())) {
                in.copy(body, size, maxBodyBytes);
                if (body.size() < maxBodyBytes) {
                    in.line();
                }
            }
        } else if (!length.isEmpty()) {
            in.copy(body, Long.parseLong(length.get(0).strip()), maxBodyBytes);
        } else {
            in.copy(body, Long.MAX_VALUE, maxBodyBytes);
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static long chunkSize(String line) throws IOException {
        String size = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
        try {
            return Long.parseLong(size.strip(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("a bad chunk size: " + line, e);
        }
    }

    /** Reads from a socket until a deadline: each read waits at most what is left of it. */
    private final class Bounded {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[8192];
        private int start;
        private int end;

        Bounded(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        /** Fills the buffer; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (start < end) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("the deadline passed");
            }
            socket.setSoTimeout((int) Math.min(left, timeout.toMillis()));
            int read = in.read(buffer);
            start = 0;
            end = Math.max(read, 0);
            return read > 0;
        }

        /** One line of the head without its CR LF. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (fill()) {
                byte b = buffer[start++];
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
                if (line.size() > MAX_HEAD_BYTES) {
                    throw new IOException("an answer's head longer than " + MAX_HEAD_BYTES + " bytes");
                }
            }
            if (line.size() == 0) {
                throw new IOException("the server closed the connection without an answer");
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        /** Copies up to {@code count} bytes into {@code out}, which never grows past {@code limit}. */
        void copy(ByteArrayOutputStream out, long count, int limit) throws IOException {
            long left = count;
            while (left > 0 && out.size() < limit && fill()) {
                int take = (int) Math.min(Math.min(left, end - start), limit - out.size());
                out.write(buffer, start, take);
                start += take;
                left -= take;
            }
        }
    }
}
