package org.callbackkit.core.intake;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.callbackkit.core.RetrySchedule;

/**
 * One callback a provider sends: which provider and kind, where (a path below the adapter's mount
 * point, with optional {@code {name}} segments), which HTTP methods and body media types it
 * accepts, who handles it, and how the provider retries when the shop does not accept it.
 *
 * <p>Built with {@link #builder(String, String)}; each value is checked as it is set
 * ({@link IllegalArgumentException}) and the whole at {@link Builder#build()}
 * ({@link IllegalStateException}). Immutable.
 *
 * @param provider the provider's name as journaled, e.g. {@code klarna}
 * @param kind the callback kind, e.g. {@code push}
 * @param path the path template, e.g. {@code /klarna/push/{orderId}}
 * @param methods the accepted methods, upper case
 * @param contentTypes the accepted body media types, lower case; empty accepts any
 * @param handler the handler
 * @param retrySchedule how the provider re-sends a callback that was not accepted
 * @param redactedNames further query parameter and header names whose values the journal masks,
 *     beyond the common secret-like names
 * @param authentication how the endpoint tells the provider from anyone else, in plain words (a
 *     shared header compared in constant time, a secret in the URL, a re-read from the provider's
 *     API), for the doctor and the operator
 * @param orderReferenceParameters the parameters that name the order (e.g. {@code orderId} of the
 *     path, {@code addr} and {@code txid} of the query), whose values the router journals as the
 *     entry's order references whatever the handler answers or throws, so that a refused callback
 *     is found by its order too: each a path parameter of that name, else the query parameter,
 *     else, when the handler named no order, a top-level string field of a JSON body; empty when
 *     none. Unverified: a forged request names what it likes.
 */
public record CallbackEndpoint(
        String provider,
        String kind,
        String path,
        Set<String> methods,
        Set<String> contentTypes,
        CallbackHandler handler,
        RetrySchedule retrySchedule,
        Set<String> redactedNames,
        String authentication,
        List<String> orderReferenceParameters) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the path is malformed or no method is given
     */
    public CallbackEndpoint {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        new PathTemplate(path);
        methods = ordered(methods); // the Allow header and 415 reason list them as declared
        contentTypes = ordered(contentTypes);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        redactedNames = Set.copyOf(redactedNames);
        Objects.requireNonNull(authentication, "authentication");
        orderReferenceParameters = List.copyOf(orderReferenceParameters);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("an endpoint accepts at least one method: " + provider + "/" + kind);
        }
    }

    /**
     * This endpoint's public URL when the callback servlet is mounted at {@code mountUrl}: the mount
     * URL (without a trailing slash) followed by the path template, {@code {name}} segments left as
     * they are for the provider's own placeholder.
     *
     * @param mountUrl where the callback servlet is mounted, e.g. {@code https://shop.example/callbacks}
     * @throws IllegalArgumentException unless an absolute http(s) URL without query or fragment
     */
    public String urlBelow(String mountUrl) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(Objects.requireNonNull(mountUrl, "mountUrl"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + mountUrl, e);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("mount URL must be an absolute http(s) URL without query or fragment: "
                    + mountUrl);
        }
        return (mountUrl.endsWith("/") ? mountUrl.substring(0, mountUrl.length() - 1) : mountUrl) + path;
    }

    /**
     * An endpoint whose order reference comes from its handler only.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the path is malformed or no method is given
     */
    public CallbackEndpoint(String provider, String kind, String path, Set<String> methods, Set<String> contentTypes,
            CallbackHandler handler, RetrySchedule retrySchedule, Set<String> redactedNames, String authentication) {
        this(provider, kind, path, methods, contentTypes, handler, retrySchedule, redactedNames, authentication, List.of());
    }

    private static Set<String> ordered(Set<String> values) {
        values.forEach(v -> Objects.requireNonNull(v, "null in set"));
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    /** Starts an endpoint of {@code provider}'s callback {@code kind}. */
    public static Builder builder(String provider, String kind) {
        return new Builder(provider, kind);
    }

    /** Builds a {@link CallbackEndpoint}; not thread-safe. */
    public static final class Builder {
        private final String provider;
        private final String kind;
        private String path;
        private final Set<String> methods = new LinkedHashSet<>();
        private final Set<String> contentTypes = new LinkedHashSet<>();
        private CallbackHandler handler;
        private RetrySchedule retrySchedule = RetrySchedule.none();
        private final Set<String> redactedNames = new LinkedHashSet<>();
        private String authentication = "none: anyone may call it";
        private final List<String> orderReferenceParameters = new ArrayList<>();

        private Builder(String provider, String kind) {
            this.provider = requireName(provider, "provider");
            this.kind = requireName(kind, "kind");
        }

        /**
         * The path template below the mount point.
         *
         * @throws IllegalArgumentException if it does not start with {@code /} or has a malformed segment
         */
        public Builder path(String path) {
            this.path = new PathTemplate(path).template();
            return this;
        }

        /** Adds accepted HTTP methods. */
        public Builder methods(String... methods) {
            for (String method : methods) {
                this.methods.add(requireName(method, "method").toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** Adds accepted body media types, e.g. {@code application/json}; none accepts any. */
        public Builder contentTypes(String... mediaTypes) {
            for (String type : mediaTypes) {
                this.contentTypes.add(requireName(type, "content type").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Who handles the callbacks; required. */
        public Builder handler(CallbackHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** How the provider retries; default {@link RetrySchedule#none()}. */
        public Builder retrySchedule(RetrySchedule retrySchedule) {
            this.retrySchedule = Objects.requireNonNull(retrySchedule, "retrySchedule");
            return this;
        }

        /** Further parameter or header names whose values the journal masks. */
        public Builder redact(String... names) {
            for (String name : names) {
                redactedNames.add(requireName(name, "redacted name"));
            }
            return this;
        }

        /**
         * A parameter that names the order: a path parameter, e.g. {@code orderId} of
         * {@code /pay/{orderId}}, else a query parameter, e.g. Blockonomics' {@code addr}, else a
         * top-level string field of a JSON body, e.g. Avarda's {@code purchaseId} (read only when
         * the handler named no order). Its value is journaled as an order reference of the entry
         * even when the handler refuses the callback (a wrong secret), so the operator finds it by
         * order. Each call adds one.
         */
        public Builder orderReferenceParameter(String name) {
            orderReferenceParameters.add(requireName(name, "order reference parameter"));
            return this;
        }

        /** How the endpoint tells the provider from anyone else, in plain words; default none. */
        public Builder authentication(String rule) {
            this.authentication = requireName(rule, "authentication");
            return this;
        }

        /**
         * The endpoint as a description only, for tools that read what a provider module mounts
         * (paths, methods, media types, retry schedule, authentication) without building it, such
         * as the doctor: its handler refuses every request, so it is never to be mounted.
         *
         * @throws IllegalStateException if path or method is missing
         */
        public CallbackEndpoint describe() {
            handler = request -> {
                throw new IllegalStateException(provider + "/" + kind + " is a description, not a mounted endpoint");
            };
            return build();
        }

        /**
         * Builds the endpoint.
         *
         * @throws IllegalStateException if path, method or handler is missing
         */
        public CallbackEndpoint build() {
            if (path == null) {
                throw new IllegalStateException("path is required for " + provider + "/" + kind);
            }
            if (methods.isEmpty()) {
                throw new IllegalStateException("at least one method is required for " + provider + "/" + kind);
            }
            if (handler == null) {
                throw new IllegalStateException("handler is required for " + provider + "/" + kind);
            }
            try {
                return new CallbackEndpoint(provider, kind, path, methods, contentTypes, handler, retrySchedule,
                        redactedNames, authentication, orderReferenceParameters);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private static String requireName(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
