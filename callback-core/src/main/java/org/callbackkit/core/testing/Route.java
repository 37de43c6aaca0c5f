package org.callbackkit.core.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One route of a {@link FakeProviderServer}, such as {@code GET /v1/orders/{id}}: its handler and
 * the answers scripted for its next calls. Literal segments match exactly; a {@code {name}}
 * segment matches any one non-empty segment. The script queue is guarded by the server's lock.
 */
final class Route {

    private static final Pattern KEY = Pattern.compile("[A-Z]+ (/[^/\\s]+)+|[A-Z]+ /");

    /** What the next call is answered with, given the route's own answer (computed only if asked for). */
    interface Scripted extends Function<Supplier<FakeResponse>, FakeResponse> {
    }

    private final String key;
    private final String method;
    private final List<String> segments;
    private final Function<RecordedRequest, FakeResponse> handler;
    private final Queue<Scripted> script = new ArrayDeque<>();

    /** @throws IllegalArgumentException if {@code key} is not a method, a space and a path starting with '/' */
    Route(String key, Function<RecordedRequest, FakeResponse> handler) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a route is a method and a path, such as 'GET /v1/orders/{id}': " + key);
        }
        this.key = key;
        this.method = key.substring(0, key.indexOf(' '));
        this.segments = segmentsOf(key.substring(key.indexOf(' ') + 1));
        this.handler = handler;
        for (String segment : segments) {
            if (!isVariable(segment) && (segment.contains("{") || segment.contains("}"))) {
                throw new IllegalArgumentException("bad path segment '" + segment + "' in route " + key);
            }
        }
    }

    String key() {
        return key;
    }

    String method() {
        return method;
    }

    FakeResponse answer(RecordedRequest request) {
        return handler.apply(request);
    }

    Queue<Scripted> script() {
        return script;
    }

    /** The decoded path variables when {@code method} and the raw {@code path} match; empty otherwise. */
    Optional<Map<String, String>> match(String method, String path) {
        List<String> actual = segmentsOf(path);
        if (!this.method.equals(method) || actual.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            if (!isVariable(expected)) {
                if (!expected.equals(actual.get(i))) {
                    return Optional.empty();
                }
            } else if (actual.get(i).isEmpty()) {
                return Optional.empty();
            } else {
                try {
                    variables.put(expected.substring(1, expected.length() - 1),
                            URLDecoder.decode(actual.get(i).replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notPercentEncoded) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(variables);
    }

    /**
     * The path of an in-process call: the route's path with each variable's value in its place.
     *
     * @throws IllegalArgumentException if a variable has no value
     */
    String path(Map<String, String> variables) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            String value = isVariable(segment) ? variables.get(segment.substring(1, segment.length() - 1)) : segment;
            if (value == null) {
                throw new IllegalArgumentException("no value for " + segment + " of route " + key);
            }
            path.append('/').append(value);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    private static boolean isVariable(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> segmentsOf(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }
}
