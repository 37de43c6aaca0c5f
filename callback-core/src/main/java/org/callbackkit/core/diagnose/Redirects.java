package org.callbackkit.core.diagnose;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Why an answer redirects, read off the request URL and the {@code Location}: the facts the
 * redirect rules of {@link Fingerprints} match on.
 */
final class Redirects {

    static final String HTTPS = "https";
    static final String HOST = "host";
    static final String LANGUAGE = "language";
    static final String SLASH = "slash";
    static final String LOGIN = "login";
    static final String OTHER = "other";

    /**
     * The language codes multilingual plugins (WPML, Polylang, TranslatePress, Weglot) put in front
     * of paths, optionally with a region: {@code en}, {@code sv}, {@code de-de}, {@code en_US}.
     * A short list on purpose: {@code /wp/} or {@code /my/} must not look like a language.
     */
    private static final Set<String> LANGUAGES = Set.of(
            "ar", "bg", "cs", "cy", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "he", "hr", "hu", "is",
            "it", "ja", "ko", "lt", "lv", "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv",
            "th", "tr", "uk", "vi", "zh");
    private static final Pattern LANGUAGE_SEGMENT = Pattern.compile("([a-z]{2})(?:[-_][a-z]{2,4})?");
    private static final Pattern LOGIN_TARGET = Pattern.compile(
            "login|log-in|signin|sign-in|wp-login\\.php|/auth(?:/|$)|/account(?:/|$)", Pattern.CASE_INSENSITIVE);

    private Redirects() {
    }

    /** Whether a path segment is a language prefix such as {@code en} or {@code de-de}. */
    static boolean isLanguageSegment(String segment) {
        var matcher = LANGUAGE_SEGMENT.matcher(segment.toLowerCase(Locale.ROOT));
        return matcher.matches() && LANGUAGES.contains(matcher.group(1));
    }

    /** {@code location} resolved against {@code url} when it is relative; empty if it is not a URI. */
    static Optional<URI> target(Optional<URI> url, String location) {
        try {
            URI target = new URI(location.strip());
            return Optional.of(url.isPresent() && !target.isAbsolute() ? url.get().resolve(target) : target);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** One of the reason constants, for a redirect from {@code url} (when known) to {@code target}. */
    static String reason(Optional<URI> url, URI target) {
        String targetPath = pathOf(target);
        if (url.isPresent()) {
            URI from = url.get();
            String fromPath = pathOf(from);
            boolean sameHost = target.getHost() == null || target.getHost().equalsIgnoreCase(from.getHost());
            if (sameHost && "http".equalsIgnoreCase(from.getScheme()) && HTTPS.equalsIgnoreCase(target.getScheme())) {
                return HTTPS;
            }
            if (!sameHost || (target.getHost() != null && port(target) != port(from))) {
                return HOST;
            }
            if (targetPath.equals(fromPath + "/") || fromPath.equals(targetPath + "/")) {
                return SLASH;
            }
            if (targetPath.endsWith(fromPath) && insertedLanguage(targetPath.substring(0, targetPath.length() - fromPath.length()))) {
                return LANGUAGE;
            }
        } else if (firstSegmentIsLanguage(targetPath)) {
            return LANGUAGE;
        }
        if (LOGIN_TARGET.matcher(targetPath + "?" + (target.getRawQuery() == null ? "" : target.getRawQuery())).find()) {
            return LOGIN;
        }
        return OTHER;
    }

    private static boolean insertedLanguage(String prefix) {
        String trimmed = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        return !trimmed.isEmpty() && !trimmed.contains("/") && isLanguageSegment(trimmed);
    }

    private static boolean firstSegmentIsLanguage(String path) {
        String[] segments = path.split("/");
        return segments.length > 2 && isLanguageSegment(segments[1]);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : HTTPS.equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String pathOf(URI uri) {
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    }
}
