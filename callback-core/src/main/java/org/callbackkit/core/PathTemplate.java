package org.callbackkit.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path such as {@code /klarna/push/{orderId}}: literal segments match exactly, {@code {name}}
 * segments match any one non-empty segment and capture it decoded. A single trailing slash on the
 * request is tolerated.
 */
final class PathTemplate {

    private final String template;
    private final List<String> segments;

    PathTemplate(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + template);
        }
        this.template = template;
        this.segments = split(template);
        for (String segment : segments) {
            boolean variable = isVariable(segment);
            if (segment.isEmpty() || (!variable && (segment.contains("{") || segment.contains("}")))) {
                throw new IllegalArgumentException("bad path segment '" + segment + "' in " + template);
            }
        }
    }

    String template() {
        return template;
    }

    /**
     * The captured, decoded variables when {@code path} matches; empty when it does not.
     *
     * @throws IllegalArgumentException if a captured segment is not valid percent-encoded UTF-8
     */
    Optional<Map<String, String>> match(String path) {
        List<String> actual = split(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path);
        if (actual.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String segment = actual.get(i);
            if (isVariable(expected)) {
                if (segment.isEmpty()) {
                    return Optional.empty();
                }
                variables.put(expected.substring(1, expected.length() - 1), decode(segment));
            } else if (!expected.equals(segment)) {
                return Optional.empty();
            }
        }
        return Optional.of(variables);
    }

    /** Whether two templates can match the same path (so they must not be mounted together). */
    boolean overlaps(PathTemplate other) {
        if (segments.size() != other.segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            String a = segments.get(i);
            String b = other.segments.get(i);
            if (!isVariable(a) && !isVariable(b) && !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVariable(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        if (path.equals("/")) {
            return List.of();
        }
        return List.of(path.substring(1).split("/", -1));
    }

    /** @throws IllegalArgumentException for a malformed escape or invalid UTF-8 */
    private static String decode(String segment) {
        return PercentDecoding.decode(segment, false);
    }
}
