package org.callbackkit.core.diagnose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
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

    private static final String ANY_SEGMENT = "[^/]+";
    private static final String ANY_TOKEN = "\u0000";

    private final String host;
    private final List<PathRule> paths;
    private final Map<String, SourceIps> sourceIps;

    Whitelist(String host, List<PathRule> paths, Map<String, SourceIps> sourceIps) {
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

    /**
     * The addresses a provider publishes for its callbacks, and where and when they were read, so an
     * operator can check them before trusting them: providers change these lists.
     *
     * @param addresses IPv4 or IPv6 addresses or CIDR ranges; empty when the provider publishes none
     * @param source where the list was read and on which date, e.g.
     *        {@code docs.klarna.com/api-reference/callbacks, read 2026-12-07}; empty when there is no list
     */
    public record SourceIps(List<String> addresses, String source) {

        private static final Pattern ADDRESS =
                Pattern.compile("(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(?:/\\d{1,3})?");

        /**
         * @throws NullPointerException if a component or an address is null
         * @throws IllegalArgumentException if an entry is not an IP address or CIDR range, or a list has no source
         */
        public SourceIps {
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(source, "source");
            for (String address : addresses) {
                if (!ADDRESS.matcher(address).matches()) {
                    throw new IllegalArgumentException("not an IP address or range: " + address);
                }
            }
            if (!addresses.isEmpty() && source.isBlank()) {
                throw new IllegalArgumentException("say where the addresses were read and when: " + addresses);
            }
        }

        /** For a provider that publishes no source addresses: allow its callbacks by path only. */
        public static SourceIps unpublished() {
            return new SourceIps(List.of(), "");
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

    /** Per provider, its published source addresses; {@link SourceIps#unpublished()} where none are known. */
    public Map<String, SourceIps> sourceIps() {
        return sourceIps;
    }

    /**
     * One anchored regular expression for every callback path, one trailing slash tolerated as the
     * router does: {@code ^(?:/callbacks/klarna/push/[^/]+|/callbacks/blockonomics/payment)/?$}.
     */
    public String pathRegex() {
        List<List<String>> merged = new ArrayList<>();
        for (PathRule path : paths) {
            List<String> segments = List.of(path.regex().replace(ANY_SEGMENT, ANY_TOKEN).split("/", -1));
            if (!merged.contains(segments)) {
                merged.add(segments);
            }
        }
        boolean changed = true;
        while (changed) { // merge entries that differ in one segment: /a/(?:b|c)/x
            changed = false;
            for (int i = 0; i < merged.size() && !changed; i++) {
                for (int j = i + 1; j < merged.size() && !changed; j++) {
                    int differ = differingSegment(merged.get(i), merged.get(j));
                    if (differ >= 0) {
                        List<String> union = new ArrayList<>(merged.get(i));
                        union.set(differ, alternation(merged.get(i).get(differ), merged.get(j).get(differ)));
                        merged.set(i, List.copyOf(union));
                        merged.remove(j);
                        changed = true;
                    }
                }
            }
        }
        return "^(?:" + merged.stream().map(s -> String.join("/", s).replace(ANY_TOKEN, ANY_SEGMENT))
                .collect(Collectors.joining("|")) + ")/?$";
    }

    /** The one index where two equally long segment lists differ, or -1. */
    private static int differingSegment(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return -1;
        }
        int differ = -1;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                if (differ >= 0 || a.get(i).equals(ANY_TOKEN) || b.get(i).equals(ANY_TOKEN)) {
                    return -1;
                }
                differ = i;
            }
        }
        return differ;
    }

    private static String alternation(String a, String b) {
        return "(?:" + String.join("|", options(a)) + "|" + String.join("|", options(b)) + ")";
    }

    private static List<String> options(String segment) {
        return segment.startsWith("(?:") ? List.of(segment.substring(3, segment.length() - 1).split("\\|"))
                : List.of(segment);
    }

    /**
     * A Cloudflare rules-language expression matching the callback requests, for a WAF custom rule
     * with the action Skip. It uses {@code starts_with} and {@code eq}, which every plan has.
     */
    public String cloudflareExpression() {
        Map<String, List<PathRule>> byProvider = new LinkedHashMap<>();
        paths.forEach(path -> byProvider.computeIfAbsent(path.provider(), p -> new ArrayList<>()).add(path));
        Set<String> terms = new LinkedHashSet<>();
        for (List<PathRule> rules : byProvider.values()) {
            if (rules.size() == 1 && rules.get(0).exact()) {
                terms.add("http.request.uri.path eq " + quote(rules.get(0).prefix()));
            } else { // the provider's own subtree: the router answers 404 to anything else in it
                terms.add("starts_with(http.request.uri.path, " + quote(commonPrefix(rules)) + ")");
            }
        }
        return "(http.host eq " + quote(host) + " and (" + String.join(" or ", terms) + "))";
    }

    /** The longest start, up to a slash, that every rule's literal prefix shares. */
    private static String commonPrefix(List<PathRule> rules) {
        String common = rules.get(0).exact() ? rules.get(0).prefix() + "/" : rules.get(0).prefix();
        for (PathRule rule : rules) {
            String prefix = rule.exact() ? rule.prefix() + "/" : rule.prefix();
            int i = 0;
            while (i < common.length() && i < prefix.length() && common.charAt(i) == prefix.charAt(i)) {
                i++;
            }
            common = common.substring(0, common.lastIndexOf('/', Math.max(0, i - 1)) + 1);
        }
        return common;
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
        sourceIps.forEach((provider, ips) -> lines.add("  " + provider + ": " + (ips.addresses().isEmpty()
                ? "none published; allow by path, not by address"
                : String.join(", ", ips.addresses()) + " (" + ips.source() + ")")));
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
