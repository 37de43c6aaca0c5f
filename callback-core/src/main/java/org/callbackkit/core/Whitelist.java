package org.callbackkit.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a shop's firewalls must let through for its callbacks, and the rules to paste: a Cloudflare
 * WAF skip rule expression, a ModSecurity exclusion, and nginx and Apache snippets, each scoped to
 * the callback paths only, plus the providers' published source addresses where known. Made by
 * {@link CallbackUrls#whitelist()}; immutable.
 */
public final class Whitelist {

    /** The first ModSecurity rule id used; 1-99,999 is the range ModSecurity leaves for local rules. */
    public static final int MODSECURITY_RULE_ID = 10100;

    private final String host;
    private final List<PathRule> paths;
    private final Map<String, List<String>> sourceIps;

    Whitelist(String host, List<PathRule> paths, Map<String, List<String>> sourceIps) {
        this.host = Objects.requireNonNull(host, "host");
        this.paths = List.copyOf(paths);
        this.sourceIps = Collections.unmodifiableMap(new LinkedHashMap<>(sourceIps));
    }

    /**
     * One callback path to allow.
     *
     * @param provider the provider
     * @param kind the callback kind
     * @param methods the methods the provider uses
     * @param glob the path with {@code *} for each variable segment, e.g. {@code /callbacks/klarna/push/*}
     * @param regex the path as a regular expression, not anchored, e.g. {@code /callbacks/klarna/push/[^/]+}
     * @param prefix the literal start of the path up to its first variable, e.g. {@code /callbacks/klarna/push/}
     * @param exact whether the path has no variable segment (then {@code prefix} is the whole path)
     */
    public record PathRule(String provider, String kind, Set<String> methods, String glob, String regex, String prefix,
            boolean exact) {

        /** @throws NullPointerException if a component is null */
        public PathRule {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(kind, "kind");
            methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
            Objects.requireNonNull(glob, "glob");
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** The host the rules are for. */
    public String host() {
        return host;
    }

    /** Each callback path, per provider and kind. */
    public List<PathRule> paths() {
        return paths;
    }

    /** Per provider, its published source addresses; an empty list where none are known. */
    public Map<String, List<String>> sourceIps() {
        return sourceIps;
    }

    /**
     * One anchored regular expression for every callback path, one trailing slash tolerated as the
     * router does: {@code ^(?:/callbacks/klarna/push/[^/]+|/callbacks/blockonomics/payment)/?$}.
     */
    public String pathRegex() {
        return "^(?:" + paths.stream().map(PathRule::regex).distinct().collect(Collectors.joining("|")) + ")/?$";
    }

    /**
     * A Cloudflare rules-language expression matching the callback requests, for a WAF custom rule
     * with the action Skip. It uses {@code starts_with} and {@code eq}, which every plan has.
     */
    public String cloudflareExpression() {
        Set<String> terms = new LinkedHashSet<>();
        for (PathRule path : paths) {
            terms.add(path.exact()
                    ? "http.request.uri.path eq " + quote(path.prefix())
                    : "starts_with(http.request.uri.path, " + quote(path.prefix()) + ")");
        }
        return "(http.host eq " + quote(host) + " and (" + String.join(" or ", terms) + "))";
    }

    /**
     * A ModSecurity rule that turns the engine off for the callback paths only. It matches
     * {@code REQUEST_FILENAME} (the path without the query) after decoding and normalising it, so
     * {@code /callbacks/klarna/push/../../wp-admin} does not slip through.
     */
    public String modSecurity() {
        return "# Callback Kit: payment-provider callbacks skip ModSecurity, on these paths only.\n"
                + "SecRule REQUEST_FILENAME \"@rx " + pathRegex() + "\" \\\n"
                + "    \"id:" + MODSECURITY_RULE_ID + ",phase:1,pass,nolog,t:none,t:urlDecodeUni,t:normalizePath,"
                + "ctl:ruleEngine=Off\"";
    }

    /** An nginx {@code location} that lets the callback paths past HTTP auth and address restrictions. */
    public String nginx() {
        return "# Callback Kit: callback paths reach the shop without HTTP auth or address restrictions.\n"
                + "location ~ \"" + pathRegex() + "\" {\n"
                + "    auth_basic off;\n"
                + "    allow all;\n"
                + "    # modsecurity off;   # with the ModSecurity-nginx connector\n"
                + "    # ...the same proxy_pass / fastcgi_pass as the shop's other locations\n"
                + "}";
    }

    /** An Apache {@code LocationMatch} that grants the callback paths and turns ModSecurity off for them. */
    public String apache() {
        return "# Callback Kit: callback paths reach the shop without HTTP auth or ModSecurity.\n"
                + "<LocationMatch \"" + pathRegex() + "\">\n"
                + "    Require all granted\n"
                + "    <IfModule security2_module>\n"
                + "        SecRuleEngine Off\n"
                + "    </IfModule>\n"
                + "</LocationMatch>";
    }

    /** Everything above as one text for an operator: paths, addresses, then each snippet with where it goes. */
    public String toText() {
        List<String> lines = new ArrayList<>();
        lines.add("Callback paths to allow on " + host + ":");
        int width = paths.stream().mapToInt(p -> (p.provider() + "/" + p.kind()).length()).max().orElse(0);
        for (PathRule path : paths) {
            lines.add(String.format("  %-" + width + "s  %-5s %s", path.provider() + "/" + path.kind(),
                    String.join(",", path.methods()), path.glob()));
        }
        lines.add("Source addresses:");
        sourceIps.forEach((provider, ips) -> lines.add("  " + provider + ": " + (ips.isEmpty()
                ? "none published; allow by path, not by address" : String.join(", ", ips))));
        lines.add("Cloudflare (Security > WAF > Custom rules; action Skip: all remaining custom rules, rate limiting,");
        lines.add("managed rules, Super Bot Fight Mode; place it first):");
        lines.add("  " + cloudflareExpression());
        lines.add("ModSecurity (the site's custom rules, e.g. cPanel > ModSecurity, or ask your host):");
        modSecurity().lines().forEach(line -> lines.add("  " + line));
        lines.add("nginx (in the server block):");
        nginx().lines().forEach(line -> lines.add("  " + line));
        lines.add("Apache (in the virtual host):");
        apache().lines().forEach(line -> lines.add("  " + line));
        lines.add("Page caches: bypass these paths (they must always reach the shop).");
        return String.join("\n", lines);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
