package org.callbackkit.core.intake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path such as {@code /klarna/push/{orderId}}: literal segments match exactly, {@code {name}}
 * segments match any one non-empty segment and capture it decoded. A single trailing slash on the
 * request is tolerated.
 *
 * <p>Public for the diagnosis package only, which turns an endpoint's {@link CallbackEndpoint#path()}
 * into firewall patterns ({@link #glob()}, {@link #regex(String)}, {@link #literalPrefix()}) and
 * finds where a failed delivery's URL was mounted ({@link #mountOf(String)}). Matching requests is
 * the router's business and stays inside this package. Immutable and thread-safe.
 */
public final class PathTemplate {

    private final String template;
    private final List<String> segments;

    /**
     * Parses a template as {@link CallbackEndpoint} takes it.
     *
     * @throws IllegalArgumentException if it does not start with {@code /}, has an empty segment, or
     *     has a brace outside a whole {@code {name}} segment
     */
    public PathTemplate(String template) {
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

    /** The template as given, e.g. {@code /klarna/push/{orderId}}. */
    public String template() {
        return template;
    }

    /**
     * The captured, decoded variables when {@code path} matches; empty when it does not.
     *
     * @throws IllegalArgumentException if a captured segment is not valid percent-encoded UTF-8
     */
    Optional<Map<String, String>> match(String path) {
        return match(segmentsOf(path));
    }

    /**
     * The segments of a request path as {@link #match(List)} takes them, so that a path matched
     * against many templates is split once; a single trailing slash is ignored.
     */
    static List<String> segmentsOf(String path) {
        return split(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path);
    }

    /**
     * {@link #match(String)} for a path already split by {@link #segmentsOf}.
     *
     * @throws IllegalArgumentException if a captured segment is not valid percent-encoded UTF-8
     */
    Optional<Map<String, String>> match(List<String> actual) {
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

    /** The template with each {@code {name}} segment as {@code *}, e.g. {@code /klarna/push/*}. */
    public String glob() {
        return "/" + String.join("/", segments.stream().map(s -> isVariable(s) ? "*" : s).toList());
    }

    /**
     * A regular expression (PCRE and Java alike), not anchored, for paths this template matches
     * below {@code mount}: literal segments escaped, each variable one non-empty segment, e.g.
     * {@code /callbacks/klarna/push/[^/]+}.
     */
    public String regex(String mount) {
        StringBuilder out = new StringBuilder(escape(mount));
        for (String segment : segments) {
            out.append('/').append(isVariable(segment) ? "[^/]+" : escape(segment));
        }
        return out.toString();
    }

    /** The literal start of the template up to its first variable, e.g. {@code /klarna/push/}; the whole if none. */
    public String literalPrefix() {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            if (isVariable(segment)) {
                return out.append('/').toString();
            }
            out.append('/').append(segment);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /**
     * The mount point below which {@code requestPath} matches this template, e.g. {@code /callbacks}
     * for {@code /callbacks/klarna/push/abc}; empty when no tail of the path matches, or when the
     * variable segments that would match are not valid percent-encoded UTF-8. Never throws for a
     * path that came from outside.
     */
    public Optional<String> mountOf(String requestPath) {
        String path = requestPath.endsWith("/") && requestPath.length() > 1
                ? requestPath.substring(0, requestPath.length() - 1) : requestPath;
        List<String> actual = split(path);
        if (actual.size() < segments.size()) {
            return Optional.empty();
        }
        List<String> head = actual.subList(0, actual.size() - segments.size());
        String tail = "/" + String.join("/", actual.subList(actual.size() - segments.size(), actual.size()));
        try {
            if (match(tail).isEmpty()) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) { // a malformed escape in a variable segment
            return Optional.empty();
        }
        return Optional.of(head.isEmpty() ? "" : "/" + String.join("/", head));
    }

    private static String escape(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) || c == '/' || c == '_' || c == '-' || c == '~')) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
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
        List<String> segments = new ArrayList<>();
        for (int start = 1, end; ; start = end + 1) {
            end = path.indexOf('/', start);
            if (end < 0) {
                segments.add(path.substring(start));
                return Collections.unmodifiableList(segments);
            }
            segments.add(path.substring(start, end));
        }
    }

    /** @throws IllegalArgumentException for a malformed escape or invalid UTF-8 */
    private static String decode(String segment) {
        return PercentDecoding.decode(segment, false);
    }
}
