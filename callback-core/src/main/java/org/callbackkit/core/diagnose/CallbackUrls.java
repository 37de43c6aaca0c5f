package org.callbackkit.core.diagnose;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.PathTemplate;

/**
 * A shop's callback URLs, checked before any traffic, and the whitelist its firewalls need.
 *
 * <pre>{@code
 * CallbackUrls urls = CallbackUrls.builder("https://shop.example/callbacks")   // where CallbackServlet is mounted
 *         .endpoints(router.endpoints())
 *         .requireHttps("klarna")                                           // Klarna calls live shops over https only
 *         .sourceIps("klarna", new Whitelist.SourceIps(List.of("52.17.117.56", "52.17.176.198"),
 *                 "docs.klarna.com/api-reference/callbacks, read 2026-12-07"))
 *         .build();
 * urls.check().forEach(System.out::println);                                // https, public host, no /en/, ...
 * System.out.println(urls.whitelist().toText());                            // paths, Cloudflare, ModSecurity, nginx, Apache
 * }</pre>
 *
 * <p>The rules, from the support articles: https where the provider requires it; a public host
 * (not localhost, a loopback, private, link-local or unique-local address, a {@code .local} or
 * other non-public name, and a warning for a bare IP where a name is expected); no language prefix
 * before the callback path ({@code /en/callbacks/...}); no query or fragment in the mount URL; and
 * a warning for each GET callback, which a page cache may answer (and whose query, such as
 * Blockonomics' secret, a cache may ignore). Checks look at the URL only and never resolve
 * names; the callback doctor adds DNS, TLS and probes. Immutable; build with {@link #builder(String)}.
 */
public final class CallbackUrls {

    /**
     * Host name suffixes that never resolve on the public internet (RFC 6761, 6762, 8375 and
     * common private conventions).
     */
    private static final List<String> PRIVATE_SUFFIXES = List.of(".localhost", ".local", ".localdomain", ".internal",
            ".lan", ".home", ".home.arpa", ".corp", ".test", ".invalid", ".example");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    private final URI mountUrl;
    private final String mountPath;
    private final List<CallbackEndpoint> endpoints;
    private final Set<String> httpsProviders;
    private final Map<String, Whitelist.SourceIps> sourceIps;
    private final boolean allowPrivateHosts;
    private final boolean allowHttp;

    private CallbackUrls(Builder builder) {
        this.mountUrl = builder.mountUrl;
        String path = mountUrl.getRawPath() == null ? "" : mountUrl.getRawPath();
        this.mountPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.endpoints = List.copyOf(builder.endpoints);
        this.httpsProviders = Set.copyOf(builder.httpsProviders);
        this.sourceIps = Map.copyOf(builder.sourceIps);
        this.allowPrivateHosts = builder.allowPrivateHosts;
        this.allowHttp = builder.allowHttp;
    }

    /**
     * Starts with the public URL the callback servlet is mounted at, e.g.
     * {@code https://shop.example/callbacks}.
     *
     * @throws IllegalArgumentException unless an absolute http or https URL with a host
     */
    public static Builder builder(String mountUrl) {
        return new Builder(mountUrl);
    }

    /** The public URL the callback servlet is mounted at. */
    public URI mountUrl() {
        return mountUrl;
    }

    /** The mount URL's path without a trailing slash, e.g. {@code /callbacks}; empty at the root. */
    public String mountPath() {
        return mountPath;
    }

    /** The endpoints, in the order given. */
    public List<CallbackEndpoint> endpoints() {
        return endpoints;
    }

    /**
     * The URL of {@code endpoint} as a provider calls it, its {@code {name}} segments kept, e.g.
     * {@code https://shop.example/callbacks/klarna/push/{orderId}}.
     */
    public String callbackUrl(CallbackEndpoint endpoint) {
        return mountUrl.getScheme() + "://" + mountUrl.getRawAuthority() + mountPath + endpoint.path();
    }

    /** Every rule's outcome, passes included, in a stable order. */
    public List<UrlCheck> check() {
        List<UrlCheck> checks = new ArrayList<>();
        String url = mountUrl.toString();
        checks.add(https(url));
        checks.add(publicHost());
        checks.add(languagePrefix(url));
        boolean extra = mountUrl.getRawQuery() != null || mountUrl.getRawFragment() != null;
        checks.add(extra
                ? new UrlCheck(UrlCheck.Status.FAIL, "url.query", url, "The callback mount URL has a query or fragment: "
                        + "providers append their own path to it, and caches may strip or ignore the query. Mount the "
                        + "callbacks at a plain path.")
                : new UrlCheck(UrlCheck.Status.PASS, "url.query", url, "No query or fragment in the mount URL."));
        for (CallbackEndpoint endpoint : endpoints) {
            if (endpoint.methods().contains("GET")) {
                String glob = mountPath + new PathTemplate(endpoint.path()).glob();
                checks.add(new UrlCheck(UrlCheck.Status.WARN, "url.cache", glob, endpoint.provider() + "/"
                        + endpoint.kind() + " is a GET: a page cache (LiteSpeed Cache, Varnish, WP Rocket, a CDN "
                        + "cache rule) may answer it from cache, or ignore its query string. Bypass caching for "
                        + glob + "."));
            }
        }
        return List.copyOf(checks);
    }

    /** The paths, addresses and ready-to-paste firewall rules that let these callbacks through. */
    public Whitelist whitelist() {
        Map<String, Whitelist.SourceIps> ips = new LinkedHashMap<>();
        for (String provider : providers()) {
            ips.put(provider, sourceIps.getOrDefault(provider, Whitelist.SourceIps.unpublished()));
        }
        List<Whitelist.PathRule> paths = new ArrayList<>();
        for (CallbackEndpoint endpoint : endpoints) {
            PathTemplate template = new PathTemplate(endpoint.path());
            paths.add(new Whitelist.PathRule(endpoint.provider(), endpoint.kind(), endpoint.methods(),
                    mountPath + template.glob(), template.regex(mountPath), mountPath + template.literalPrefix(),
                    !endpoint.path().contains("{")));
        }
        return new Whitelist(mountUrl.getHost(), paths, ips);
    }

    /**
     * Whether {@code address} is reachable from the public internet: not loopback, any-local,
     * link-local, private (RFC 1918), unique-local (fc00::/7), shared (100.64/10), multicast, or a
     * documentation or benchmarking range.
     */
    public static boolean isPublicAddress(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 16) {
            if ((b[0] & 0xfe) == 0xfc) { // fc00::/7 unique local
                return false;
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublicAddress(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        return !(first == 0
                || (first == 100 && second >= 64 && second < 128)          // shared, carrier-grade NAT
                || (first == 192 && second == 0 && (third == 0 || third == 2)) // IETF, TEST-NET-1
                || (first == 198 && (second == 18 || second == 19))        // benchmarking
                || (first == 198 && second == 51 && third == 100)          // TEST-NET-2
                || (first == 203 && second == 0 && third == 113)           // TEST-NET-3
                || first >= 240);                                          // reserved, broadcast
    }

    private UrlCheck https(String url) {
        if ("https".equals(mountUrl.getScheme())) {
            return new UrlCheck(UrlCheck.Status.PASS, "url.https", url, "Uses https.");
        }
        List<String> requiring = providers().stream().filter(httpsProviders::contains).toList();
        if (requiring.isEmpty()) {
            return new UrlCheck(UrlCheck.Status.WARN, "url.https", url, "Uses plain http: the providers mounted accept "
                    + "it, but the site must not redirect these paths to https (providers do not follow redirects).");
        }
        return new UrlCheck(allowHttp ? UrlCheck.Status.WARN : UrlCheck.Status.FAIL, "url.https", url,
                "Uses plain http, but " + String.join(" and ", requiring) + (requiring.size() == 1 ? " calls" : " call")
                        + " live shops over https only: configure https for the whole site and register the https URL.");
    }

    private UrlCheck publicHost() {
        String host = mountUrl.getHost().toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        UrlCheck.Status notPublic = allowPrivateHosts ? UrlCheck.Status.WARN : UrlCheck.Status.FAIL;
        String allowed = allowPrivateHosts ? " (allowed for local testing)" : "";
        if (IPV4.matcher(bare).matches() || bare.contains(":")) {
            InetAddress address;
            try {
                address = InetAddress.getByName(bare); // a literal: no lookup
            } catch (UnknownHostException e) {
                return new UrlCheck(UrlCheck.Status.FAIL, "url.public-host", host, "Not a valid IP address.");
            }
            if (!isPublicAddress(address)) {
                return new UrlCheck(notPublic, "url.public-host", host, host + " is a loopback, private or local address: "
                        + "providers call from the internet and cannot reach it" + allowed + ". Use the shop's public "
                        + "name (a tunnel such as ngrok for development).");
            }
            return new UrlCheck(UrlCheck.Status.WARN, "url.public-host", host, host + " is a bare IP address where a host "
                    + "name is expected: certificates and virtual hosts are set up for names. Register the shop's name.");
        }
        boolean local = host.equals("localhost") || !host.contains(".")
                || PRIVATE_SUFFIXES.stream().anyMatch(host::endsWith);
        if (local) {
            return new UrlCheck(notPublic, "url.public-host", host, host + " is not a public host name: providers cannot "
                    + "resolve it" + allowed + ". Use the shop's public name (a tunnel such as ngrok for development).");
        }
        return new UrlCheck(UrlCheck.Status.PASS, "url.public-host", host, host + " is a public host name.");
    }

    private UrlCheck languagePrefix(String url) {
        for (String segment : mountPath.split("/")) {
            if (!segment.isEmpty() && Redirects.isLanguageSegment(segment)) {
                return new UrlCheck(UrlCheck.Status.FAIL, "url.language-prefix", url, "The language prefix /" + segment
                        + "/ stands before the callback path: a multilingual plugin inserted it, and it may redirect or "
                        + "404 for the provider. Register the URL without it and exclude the callback paths from the "
                        + "plugin's URL rewriting.");
            }
        }
        return new UrlCheck(UrlCheck.Status.PASS, "url.language-prefix", url, "No language prefix before the callback path.");
    }

    private Set<String> providers() {
        Set<String> providers = new LinkedHashSet<>();
        endpoints.forEach(e -> providers.add(e.provider()));
        return providers;
    }

    /** Builds {@link CallbackUrls}; not thread-safe. */
    public static final class Builder {
        private final URI mountUrl;
        private final List<CallbackEndpoint> endpoints = new ArrayList<>();
        private final Set<String> httpsProviders = new LinkedHashSet<>();
        private final Map<String, Whitelist.SourceIps> sourceIps = new LinkedHashMap<>();
        private boolean allowPrivateHosts;
        private boolean allowHttp;

        private Builder(String mountUrl) {
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(mountUrl, "mountUrl"));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + mountUrl, e);
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("the mount URL must be an absolute http(s) URL with a host: " + mountUrl);
            }
            this.mountUrl = uri;
        }

        /** Adds the mounted endpoints, e.g. {@code router.endpoints()} or a provider module's. */
        public Builder endpoints(List<CallbackEndpoint> endpoints) {
            endpoints.forEach(e -> this.endpoints.add(Objects.requireNonNull(e, "endpoint")));
            return this;
        }

        /** Providers that call only https URLs (Klarna and Kustom in live mode). */
        public Builder requireHttps(String... providers) {
            for (String provider : providers) {
                httpsProviders.add(Objects.requireNonNull(provider, "provider"));
            }
            return this;
        }

        /**
         * The addresses {@code provider} publishes for its callbacks, with where they were read, for the
         * whitelist.
         *
         * @throws NullPointerException if an argument is null
         */
        public Builder sourceIps(String provider, Whitelist.SourceIps ips) {
            sourceIps.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(ips, "ips"));
            return this;
        }

        /** Reports a private or local host as a warning, not a failure: for local testing. */
        public Builder allowPrivateHosts(boolean allow) {
            this.allowPrivateHosts = allow;
            return this;
        }

        /** Reports http as a warning even where a provider requires https: for a playground or local testing. */
        public Builder allowHttp(boolean allow) {
            this.allowHttp = allow;
            return this;
        }

        /**
         * Builds the URLs.
         *
         * @throws IllegalStateException without endpoints
         */
        public CallbackUrls build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("no endpoints: give the mounted endpoints to check and whitelist");
            }
            return new CallbackUrls(this);
        }
    }
}
