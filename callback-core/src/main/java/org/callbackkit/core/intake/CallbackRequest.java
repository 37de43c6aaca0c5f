package org.callbackkit.core.intake;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP callback as it reached the shop, independent of any web framework.
 *
 * <p>The body is the raw bytes received, never decoded and re-serialised, so that a provider
 * module can verify or parse exactly what was sent. The request is immutable: {@link #body()}
 * returns a copy; read large bodies through {@link #bodyStream()} to avoid copying.
 *
 * <p>{@link #path()} is the path below the mount point of the adapter (for a servlet mapped to
 * {@code /callbacks/*}, a call to {@code /callbacks/klarna/push/1} has the path
 * {@code /klarna/push/1}), still percent-encoded as received. {@link #pathParameters()} holds the
 * decoded values of the endpoint's {@code {name}} segments once the router has matched it.
 */
public final class CallbackRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final CallbackHeaders headers;
    private final byte[] body;
    private final String remoteAddress;
    private final Instant receivedAt;
    private final Map<String, String> pathParameters;
    /** Why the adapter's raw request could not be decoded (a malformed query), or null. */
    private final String malformed;

    /** {@code owning}: the builder is discarded, so its query map is taken over instead of copied. */
    private CallbackRequest(Builder builder, byte[] body, boolean owning) {
        this.method = requireText(builder.method, "method");
        this.path = requireText(builder.path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        Map<String, List<String>> queryCopy = owning ? builder.query : new LinkedHashMap<>(builder.query);
        queryCopy.replaceAll((name, values) -> List.copyOf(values));
        this.query = Collections.unmodifiableMap(queryCopy);
        this.headers = builder.headers;
        this.body = body;
        this.remoteAddress = Objects.requireNonNullElse(builder.remoteAddress, "");
        this.receivedAt = Objects.requireNonNull(builder.receivedAt, "receivedAt");
        this.pathParameters = Map.copyOf(builder.pathParameters);
        this.malformed = builder.malformed;
    }

    private CallbackRequest(CallbackRequest base, Map<String, String> pathParameters) {
        this(base, pathParameters, base.body);
    }

    private CallbackRequest(CallbackRequest base, Map<String, String> pathParameters, byte[] body) {
        this.method = base.method;
        this.path = base.path;
        this.query = base.query;
        this.headers = base.headers;
        this.body = body;
        this.remoteAddress = base.remoteAddress;
        this.receivedAt = base.receivedAt;
        this.pathParameters = Map.copyOf(pathParameters);
        this.malformed = base.malformed;
    }

    /** The same request with the matched endpoint's path parameters; shares the body. */
    CallbackRequest withPathParameters(Map<String, String> parameters) {
        return new CallbackRequest(this, parameters);
    }

    /**
     * A request from what a framework adapter received, decoded and checked exactly as
     * {@link CallbackServlet} does it, so that an adapter for any other server (Vert.x, Micronaut,
     * the JDK's {@code HttpServer}) needs no decoding of its own: hand over the raw parts, then
     * {@link CallbackRouter#dispatch(CallbackRequest) dispatch} the result and write its answer.
     *
     * <ul>
     *   <li>The path is kept percent-encoded as received: the router refuses dot segments, encoded
     *       slashes, dots and NUL, {@code ;} parameters and empty segments (400), and decodes each
     *       segment strictly when it matches an endpoint.</li>
     *   <li>The query is decoded strictly ({@code +} is a space; a malformed escape, bytes that are
     *       not UTF-8 or a parameter without a name are an error, never U+FFFD). A malformed query
     *       does not throw: the request is built without it, and the router answers it 400 and
     *       journals it, so that it is as visible as any other refusal.</li>
     *   <li>Header names are merged case-insensitively, values kept in the order given; the router
     *       refuses control characters in either (400).</li>
     * </ul>
     *
     * @param method the HTTP method; upper-cased
     * @param rawTarget the request target below the adapter's mount point, exactly as received:
     *     the undecoded path and, after {@code ?}, the undecoded query, e.g.
     *     {@code /klarna/push/abc?sid=x%20y}; a missing leading {@code /} is added
     * @param headers the header lines as name and value pairs, in the order received; a name may repeat
     * @param remoteAddress the caller's IP address; null or empty when unknown
     * @param body the raw body bytes, copied; empty when there is none. Read at most
     *     {@link CallbackRouter#maxBodyBytes()} plus one byte: the router answers a longer body 413
     * @param receivedAt when the request arrived, from {@link CallbackRouter#clock()}
     * @return the request, to dispatch
     * @throws NullPointerException if {@code method}, {@code rawTarget}, {@code headers} (or a name or
     *     value in it), {@code body} or {@code receivedAt} is null
     * @throws IllegalArgumentException if the method is blank
     */
    public static CallbackRequest fromRawTarget(String method, String rawTarget,
            Iterable<? extends Map.Entry<String, String>> headers, String remoteAddress, byte[] body, Instant receivedAt) {
        Objects.requireNonNull(rawTarget, "rawTarget");
        int question = rawTarget.indexOf('?');
        return fromRaw(method, question < 0 ? rawTarget : rawTarget.substring(0, question),
                question < 0 ? null : rawTarget.substring(question + 1), CallbackHeaders.ofPairs(headers), remoteAddress,
                Objects.requireNonNull(body, "body").clone(), receivedAt);
    }

    /**
     * What {@link #fromRawTarget} does, for an adapter in this package that has the path and query
     * apart, has built its headers already, and hands over a body array it owns.
     */
    static CallbackRequest fromRaw(String method, String rawPath, String rawQuery, CallbackHeaders headers,
            String remoteAddress, byte[] ownedBody, Instant receivedAt) {
        Builder builder = builder()
                .method(method)
                .path(rawPath.startsWith("/") ? rawPath : "/" + rawPath)
                .headers(headers)
                .remoteAddress(remoteAddress == null ? "" : remoteAddress)
                .receivedAt(receivedAt);
        String problem = decodeQuery(rawQuery, builder);
        if (problem != null) {
            builder.malformed = problem; // the parameters decoded before the fault stay, for the journal
        }
        return builder.buildOwning(Objects.requireNonNull(ownedBody, "body"));
    }

    /** Why the raw request could not be decoded, for the router to answer 400; empty when it could. */
    Optional<String> malformed() {
        return Optional.ofNullable(malformed);
    }

    /** Decodes {@code a=1&b=2} strictly into the builder; returns a reason when it is malformed. */
    static String decodeQuery(String query, Builder builder) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        try {
            for (int start = 0, end; start < query.length(); start = end + 1) {
                end = query.indexOf('&', start);
                end = end < 0 ? query.length() : end;
                if (start == end) {
                    continue;
                }
                int equals = start;
                while (equals < end && query.charAt(equals) != '=') {
                    equals++;
                }
                String name = PercentDecoding.decode(query.substring(start, equals), true);
                if (name.isEmpty()) {
                    return "query parameter without a name";
                }
                String value = equals == end ? "" : PercentDecoding.decode(query.substring(equals + 1, end), true);
                builder.addQueryParameter(name, value);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "malformed query string: " + e.getMessage();
        }
    }

    /** The same request with {@code ownedBody}, an array the caller hands over and never touches again. */
    CallbackRequest withOwnedBody(byte[] ownedBody) {
        return new CallbackRequest(this, pathParameters, ownedBody);
    }

    /** A builder for a request; method, path and {@code receivedAt} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts as a copy of this request. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .method(method)
                .path(path)
                .headers(headers)
                .body(body)
                .remoteAddress(remoteAddress)
                .receivedAt(receivedAt);
        query.forEach((name, values) -> values.forEach(value -> builder.addQueryParameter(name, value)));
        builder.pathParameters.putAll(pathParameters);
        return builder;
    }

    /** The HTTP method, upper case, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The path below the adapter's mount point, percent-encoded as received. */
    public String path() {
        return path;
    }

    /**
     * The path and, when there are query parameters, {@code ?} and the query percent-encoded
     * ({@code /blockonomics/payment?status=2&addr=...}): what a test sends over HTTP below the mount.
     */
    public String pathAndQuery() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder target = new StringBuilder(path).append('?');
        query.forEach((name, values) -> values.forEach(value -> target.append(target.charAt(target.length() - 1) == '?'
                ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return target.toString();
    }

    /** The decoded query parameters, each name with its values in order (unmodifiable). */
    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of query parameter {@code name}, if present. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The request headers; names compare case-insensitively. */
    public CallbackHeaders headers() {
        return headers;
    }

    /** A copy of the raw body bytes; empty, never null, when there is no body. */
    public byte[] body() {
        return body.clone();
    }

    /** The raw body as a stream that does not copy it. */
    public InputStream bodyStream() {
        return new ByteArrayInputStream(body);
    }

    /** The body length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The remote IP address as the adapter saw it; empty when unknown. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** When the adapter received the request, read from the router's clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The decoded values of the matched endpoint's {@code {name}} path segments. */
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    /** The value of path segment {@code {name}} of the matched endpoint, if any. */
    public Optional<String> pathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    /** The media type of the body without parameters, lower case, e.g. {@code application/json}. */
    public Optional<String> contentType() {
        return headers.first("Content-Type").map(value -> {
            int semicolon = value.indexOf(';');
            return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
        }).filter(value -> !value.isEmpty());
    }

    /** Two requests are equal when every field, the body's bytes included, is equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CallbackRequest that
                && method.equals(that.method)
                && path.equals(that.path)
                && query.equals(that.query)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body)
                && remoteAddress.equals(that.remoteAddress)
                && receivedAt.equals(that.receivedAt)
                && pathParameters.equals(that.pathParameters)
                && Objects.equals(malformed, that.malformed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, query, headers, Arrays.hashCode(body), remoteAddress, receivedAt);
    }

    /** Method, path and body size only: headers and query may hold secrets. */
    @Override
    public String toString() {
        return "CallbackRequest[" + method + " " + path + ", " + body.length + " body bytes]";
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** Builds a {@link CallbackRequest}; not thread-safe. */
    public static final class Builder {
        private String method;
        private String path;
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private CallbackHeaders headers = CallbackHeaders.empty();
        private byte[] body = new byte[0];
        private String remoteAddress = "";
        private Instant receivedAt;
        private final Map<String, String> pathParameters = new LinkedHashMap<>();
        private String malformed;

        private Builder() {
        }

        /** The HTTP method; upper-cased. */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(java.util.Locale.ROOT);
            return this;
        }

        /** The path below the mount point, starting with {@code /}, percent-encoded. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Adds one decoded query parameter value. */
        public Builder addQueryParameter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            List<String> values = query.get(name);
            if (values == null) {
                // the common case, one value: already immutable, so building does not copy it
                query.put(name, List.of(value));
            } else if (values instanceof ArrayList) {
                values.add(value);
            } else {
                List<String> more = new ArrayList<>(values);
                more.add(value);
                query.put(name, more);
            }
            return this;
        }

        /**
         * Adds the parameters of a percent-encoded query string ({@code a=1&b=x%20y}), decoded
         * exactly as {@link CallbackServlet} decodes a request's: for a test that writes a
         * provider's documented request out as it appears on the wire.
         *
         * @throws IllegalArgumentException if the query is malformed (a bad escape, a parameter without a name)
         */
        public Builder rawQuery(String query) {
            String problem = decodeQuery(Objects.requireNonNull(query, "query"), this);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return this;
        }

        /** Replaces all query parameters. */
        public Builder query(Map<String, ? extends List<String>> parameters) {
            query.clear();
            parameters.forEach((name, values) -> values.forEach(value -> addQueryParameter(name, value)));
            return this;
        }

        /** Replaces all headers. */
        public Builder headers(CallbackHeaders headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** Sets one header to a single value, replacing earlier values of that name. */
        public Builder header(String name, String value) {
            this.headers = headers.with(name, value);
            return this;
        }

        /** The raw body; the array is copied. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** The caller's IP address; empty when unknown. */
        public Builder remoteAddress(String remoteAddress) {
            this.remoteAddress = remoteAddress;
            return this;
        }

        /** When the request arrived; required. */
        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
            return this;
        }

        /** Sets the decoded path parameters; the router does this when it matches an endpoint. */
        public Builder pathParameters(Map<String, String> parameters) {
            pathParameters.clear();
            pathParameters.putAll(parameters);
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalArgumentException if method or path is missing, or the path does not start with {@code /}
         * @throws NullPointerException if {@code receivedAt} is missing
         */
        public CallbackRequest build() {
            return new CallbackRequest(this, body, false);
        }

        /**
         * Builds without copying: the adapter hands over a body array it owns and never uses this
         * builder again.
         */
        CallbackRequest buildOwning(byte[] ownedBody) {
            return new CallbackRequest(this, ownedBody, true);
        }
    }
}
