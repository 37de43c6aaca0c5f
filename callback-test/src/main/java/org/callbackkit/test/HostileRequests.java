package org.callbackkit.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * The catalogue of hostile requests, each made from one valid sample by breaking one thing, as
 * the exact bytes a client would send (so nothing a client library would tidy up is tidied).
 */
final class HostileRequests {

    /** Where {@link HostileInputContract} mounts the servlet. */
    static final String MOUNT = "/callbacks";

    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "expect");

    /**
     * One hostile request.
     *
     * @param raw the bytes sent over a fresh connection; the answer is read until the server closes
     * @param expected the statuses that are a correct refusal
     * @param reachesServlet false where the container itself must refuse (a malformed header
     *     line): then it is answered by the container and not journaled, but the server must
     *     still be healthy
     * @param routerOnly instead of {@code raw}, dispatched to the router directly, as a framework
     *     adapter that let something through would hand it over
     */
    record Attack(String name, byte[] raw, Set<Integer> expected, boolean reachesServlet, CallbackRequest routerOnly) {
    }

    private HostileRequests() {
    }

    static List<Attack> against(CallbackRequest sample, int maxBodyBytes) {
        List<Attack> attacks = new ArrayList<>();
        String path = sample.path();
        boolean hasBody = sample.bodyLength() > 0;
        Optional<JsonNode> json = hasBody ? jsonObject(sample.body()) : Optional.empty();
        if (json.isPresent()) {
            String text = sample.bodyAsString();
            String rest = text.substring(text.indexOf('{') + 1).trim(); // the fields, then '}'
            String more = rest.startsWith("}") ? rest : "," + rest;
            attacks.add(body(maxBodyBytes, "truncated JSON", sample, utf8(text.substring(0, text.length() / 2)), 400));
            attacks.add(body(maxBodyBytes, "malformed JSON", sample, utf8(text.replaceFirst(":", " ")), 400));
            attacks.add(body(maxBodyBytes, "a JSON array, not an object", sample, utf8("[" + text + "]"), 400));
            attacks.add(body(maxBodyBytes, "trailing content after the JSON", sample, utf8(text + "{}"), 400));
            attacks.add(body(maxBodyBytes, "JSON nested 5,000 levels deep", sample,
                    utf8("{\"nested\":" + "[".repeat(5000) + "]".repeat(5000) + more), 400));
            attacks.add(body(maxBodyBytes, "a number of 1,000 digits", sample, utf8("{\"n\":" + "9".repeat(1000) + more), 400));
            attacks.add(body(maxBodyBytes, "a decimal no BigDecimal can hold (1e99999999999999)", sample,
                    utf8("{\"n\":1e99999999999999" + more), 400));
            attacks.add(body(maxBodyBytes, "a string of 100,000 characters", sample,
                    utf8("{\"s\":\"" + "x".repeat(100_000) + "\"" + more), 400));
            attacks.add(body(maxBodyBytes, "a field name of 1,000 characters", sample,
                    utf8("{\"" + "k".repeat(1000) + "\":1" + more), 400));
            Map.Entry<String, JsonNode> first = json.get().fields().hasNext() ? json.get().fields().next() : null;
            if (first != null) {
                attacks.add(body(maxBodyBytes, "a duplicate key", sample, utf8("{" + LENIENT.valueToTree(first.getKey()) + ":"
                        + first.getValue() + "," + rest), 400));
            }
            attacks.add(body(maxBodyBytes, "invalid UTF-8 (a lead byte without its continuation)", sample,
                    concat(utf8("{\"s\":\""), new byte[] {(byte) 0xC3, '('}, utf8("\"" + more)), 400));
            attacks.add(body(maxBodyBytes, "invalid UTF-8 (an overlong '/')", sample,
                    concat(utf8("{\"s\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"" + more)), 400));
            attacks.add(body(maxBodyBytes, "UTF-16 instead of UTF-8", sample, text.getBytes(StandardCharsets.UTF_16LE), 400));
        }
        if (hasBody && sample.contentType().isPresent()) {
            attacks.add(http("a wrong content type", sample.method(), target(path, sample.query()),
                    headers(sample, "text/plain"), sample.body(), 415));
            attacks.add(http("no content type", sample.method(), target(path, sample.query()), headers(sample, null),
                    sample.body(), 415));
        }
        String wrongMethod = sample.method().equals("PUT") ? "DELETE" : "PUT";
        attacks.add(http("a wrong method (" + wrongMethod + ")", wrongMethod, target(path, sample.query()),
                headers(sample), sample.body(), 405));
        attacks.add(http("3,000 query parameters", sample.method(), path + "?" + "p&".repeat(3000) + "p",
                headers(sample), sample.body(), 400));
        attacks.add(raw("a body declared one byte over the limit, not sent",
                head(sample.method(), target(path, sample.query()), headers(sample))
                        + "Content-Length: " + (maxBodyBytes + 1L) + "\r\n\r\n", new byte[0], Set.of(413), true));
        attacks.add(raw("a chunked body one byte over the limit",
                head(sample.method(), target(path, sample.query()), headers(sample)) + "Transfer-Encoding: chunked\r\n\r\n",
                chunked(maxBodyBytes + 1), Set.of(413), true));
        attacks.add(raw("a body that stops arriving", head(sample.method(), target(path, sample.query()), headers(sample))
                + "Content-Length: 1000\r\n\r\n", utf8("{\"orderId\":"), Set.of(408), true));
        attacks.add(raw("a bare CR inside a header value", head(sample.method(), target(path, sample.query()),
                headers(sample)) + "X-Note: a\rInjected: 1\r\nContent-Length: " + sample.bodyLength() + "\r\n\r\n",
                sample.body(), Set.of(400), false));
        attacks.add(raw("a folded (obs-fold) header line", head(sample.method(), target(path, sample.query()),
                headers(sample)) + "X-Note: a\r\n Injected: 1\r\nContent-Length: " + sample.bodyLength() + "\r\n\r\n",
                sample.body(), Set.of(400), false));
        attacks.add(new Attack("CR/LF in a header value handed over by an adapter", null, Set.of(400), true,
                sample.toBuilder().header("X-Note", "a\r\nX-Injected: 1").build()));
        String parent = path.substring(0, path.lastIndexOf('/'));
        String last = path.substring(path.lastIndexOf('/') + 1);
        attacks.add(http("a dot-dot segment", sample.method(), target(parent + "/x/../" + last, sample.query()),
                headers(sample), sample.body(), 400));
        attacks.add(http("an encoded slash", sample.method(), target(parent + "%2F" + last, sample.query()),
                headers(sample), sample.body(), 400));
        attacks.add(http("an encoded dot-dot segment", sample.method(), target(parent + "/x/%2e%2e/" + last,
                sample.query()), headers(sample), sample.body(), 400));
        attacks.add(new Attack("an encoded NUL (Jetty refuses it before any servlet)", request(sample.method(),
                target(path + "%00", sample.query()), headers(sample), sample.body()), Set.of(400), false, null));
        attacks.add(http("a language prefix (/en) inserted", sample.method(), target("/en" + path, sample.query()),
                headers(sample), sample.body(), 404));
        return attacks;
    }

    /** The sample as sent, for the check that the server stays healthy. */
    static byte[] valid(CallbackRequest sample) {
        return request(sample.method(), target(sample.path(), sample.query()), headers(sample), sample.body());
    }

    /** The sample with another body: refused as {@code expected}, or 413 where the body is over the limit anyway. */
    private static Attack body(int maxBodyBytes, String name, CallbackRequest sample, byte[] body, int expected) {
        return new Attack(name, request(sample.method(), target(sample.path(), sample.query()), headers(sample), body),
                Set.of(body.length > maxBodyBytes ? 413 : expected), true, null);
    }

    private static Attack http(String name, String method, String target, String headers, byte[] body, int expected) {
        return new Attack(name, request(method, target, headers, body), Set.of(expected), true, null);
    }

    private static Attack raw(String name, String head, byte[] body, Set<Integer> expected, boolean reachesServlet) {
        return new Attack(name, concat(head.getBytes(StandardCharsets.ISO_8859_1), body), expected, reachesServlet, null);
    }

    private static byte[] request(String method, String target, String headers, byte[] body) {
        return concat((head(method, target, headers) + "Content-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static String head(String method, String target, String headers) {
        return method + " " + MOUNT + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
    }

    private static String headers(CallbackRequest sample) {
        return headers(sample, sample.headers().first("Content-Type").orElse(null));
    }

    /** The sample's headers with the content type replaced ({@code null}: none). */
    private static String headers(CallbackRequest sample, String contentType) {
        StringBuilder out = new StringBuilder();
        sample.headers().asMap().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!OWN_HEADERS.contains(lower) && !lower.equals("content-type")) {
                values.forEach(value -> out.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        if (contentType != null) {
            out.append("Content-Type: ").append(contentType).append("\r\n");
        }
        return out.toString();
    }

    private static String target(String path, Map<String, List<String>> query) {
        StringBuilder out = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            for (String value : parameter.getValue()) {
                out.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return out.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] chunked(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        int left = size;
        while (left > 0) {
            int chunk = Math.min(left, 8192);
            out.writeBytes((Integer.toHexString(chunk) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes("x".repeat(chunk).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            left -= chunk;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Optional<JsonNode> jsonObject(byte[] body) {
        try {
            JsonNode node = LENIENT.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
