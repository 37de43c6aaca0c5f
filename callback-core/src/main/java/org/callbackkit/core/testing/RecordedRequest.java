package org.callbackkit.core.testing;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request a {@link FakeProviderServer} received, as the test sees it afterwards: method, path,
 * headers and body, and which of the server's routes it matched. Requests made in process with
 * {@link FakeProviderServer#call} are recorded the same way, with no headers. Immutable. Test data
 * only: it holds credentials as they were sent.
 */
public final class RecordedRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final String body;
    private final String route;
    private final Map<String, String> pathVariables;

    RecordedRequest(String method, String path, Map<String, List<String>> headers, String body, String route,
            Map<String, String> pathVariables) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body");
        this.route = Objects.requireNonNull(route, "route");
        this.pathVariables = Map.copyOf(pathVariables);
    }

    /** The HTTP method, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** The path as sent, still percent-encoded, without the query. */
    public String path() {
        return path;
    }

    /** Every header, names matched ignoring case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of header {@code name} (any case), or empty when it was not sent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** The body as UTF-8 text; empty when there was none. */
    public String body() {
        return body;
    }

    /** The route it matched, such as {@code GET /v1/orders/{id}}, or empty when it matched none. */
    public String route() {
        return route;
    }

    /**
     * The percent-decoded value of the route's path variable {@code name}: for route
     * {@code GET /v1/orders/{id}} and path {@code /v1/orders/a%20b}, {@code pathVariable("id")} is
     * {@code "a b"}.
     *
     * @throws IllegalArgumentException if the route has no such variable, or the request matched no route
     */
    public String pathVariable(String name) {
        return Optional.ofNullable(pathVariables.get(name)).orElseThrow(() -> new IllegalArgumentException(
                "no path variable '" + name + "' in route '" + route + "'"));
    }

    @Override
    public String toString() {
        return method + " " + path + (route.isEmpty() ? "" : " (" + route + ")");
    }
}
