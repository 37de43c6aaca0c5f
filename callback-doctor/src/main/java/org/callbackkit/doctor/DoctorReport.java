package org.callbackkit.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.diagnose.Verdict;
import org.callbackkit.core.diagnose.Whitelist;

/**
 * What the doctor found: one {@link Check} per line, the diagnosis of each failed exchange, and
 * the whitelist (shown when something in front of the shop refused a request). {@link #passed()}
 * unless a check failed; warnings and skips do not fail it.
 * Immutable.
 */
public final class DoctorReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    private static final String BURST = "burst";
    /**
     * The version of {@link #toJson()}'s shape, its first field: 2 added the time, the duration,
     * numeric HTTP statuses, the burst as its own array and the rule exclusion.
     */
    public static final int SCHEMA_VERSION = 2;

    private final URI mountUrl;
    private final List<String> providers;
    private final List<Check> checks;
    private final Whitelist whitelist;
    private final Optional<String> ruleExclusion;
    private final Instant checkedAt;
    private final Duration duration;

    DoctorReport(URI mountUrl, List<String> providers, List<Check> checks, Whitelist whitelist,
            Optional<String> ruleExclusion, Instant checkedAt, Duration duration) {
        this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.mountUrl = Objects.requireNonNull(mountUrl, "mountUrl");
        this.providers = List.copyOf(providers);
        this.checks = List.copyOf(checks);
        this.whitelist = Objects.requireNonNull(whitelist, "whitelist");
        this.ruleExclusion = Objects.requireNonNull(ruleExclusion, "ruleExclusion");
    }

    /** When the checks started. */
    public Instant checkedAt() {
        return checkedAt;
    }

    /** How long the checks took. */
    public Duration duration() {
        return duration;
    }

    /** The URL the callback servlet was expected at. */
    public URI mountUrl() {
        return mountUrl;
    }

    /** The providers checked. */
    public List<String> providers() {
        return providers;
    }

    /** Every check, in the order run. */
    public List<Check> checks() {
        return checks;
    }

    /** What the shop's firewalls must let through. */
    public Whitelist whitelist() {
        return whitelist;
    }

    /**
     * An Apache exclusion of just the ModSecurity rules the server log showed refusing the probes,
     * on the callback paths; present only when the doctor was given the log and it named rules.
     */
    public Optional<String> ruleExclusion() {
        return ruleExclusion;
    }

    /** Whether a firewall or rate limit refused a probe or the burst: then the whitelist is what to apply. */
    public boolean blocked() {
        return checks.stream().flatMap(c -> c.diagnosis().stream())
                .anyMatch(d -> d.verdict() == Verdict.BLOCKED_BY_FIREWALL || d.verdict() == Verdict.RATE_LIMITED);
    }

    /** Whether no check failed. */
    public boolean passed() {
        return failures() == 0;
    }

    /** How many checks failed. */
    public long failures() {
        return checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
    }

    /**
     * The report for a terminal: one line per check (green, red, yellow with {@code color}), the
     * burst's lines in a section of their own, then each failure's diagnosis, the whitelist when
     * a firewall or rate limit refused something ({@link #blocked()}), and the result.
     */
    public String toText(boolean color) {
        StringBuilder out = new StringBuilder();
        out.append(style(color, BOLD, "Callback doctor: " + mountUrl + " (" + String.join(", ", providers) + ")"))
                .append("\n\n");
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Check check : checks) {
            if (!check.area().equals(BURST)) {
                line(out, check, width, color);
            }
        }
        if (checks.stream().anyMatch(c -> c.area().equals(BURST))) {
            out.append('\n').append(style(color, BOLD, "Burst (requests like a provider retrying, after the probes)"))
                    .append('\n');
            checks.stream().filter(c -> c.area().equals(BURST)).forEach(check -> line(out, check, width, color));
        }
        List<Check> diagnosed = checks.stream().filter(c -> c.diagnosis().isPresent()).toList();
        if (!diagnosed.isEmpty()) {
            out.append('\n').append(style(color, BOLD, "Diagnosis")).append('\n');
            List<Check> shown = new ArrayList<>();
            for (Check check : diagnosed) {
                Diagnosis diagnosis = check.diagnosis().orElseThrow();
                Check same = shown.stream().filter(s -> sameFinding(s.diagnosis().orElseThrow(), diagnosis)).findFirst()
                        .orElse(null);
                if (same != null) { // the same finding again: only what differs (the path, the retries)
                    out.append("  ").append(check.area()).append(' ').append(check.name()).append(": as ")
                            .append(same.name()).append(" above\n");
                    diagnosis.nextSteps().stream().filter(step -> !same.diagnosis().orElseThrow().nextSteps().contains(step))
                            .forEach(step -> out.append("    - ").append(step).append('\n'));
                    continue;
                }
                shown.add(check);
                out.append("  ").append(check.area()).append(' ').append(check.name()).append(": ")
                        .append(style(color, RED, diagnosis.verdict().name()))
                        .append(diagnosis.firewall().map(f -> ", firewall " + f).orElse(""))
                        .append(" [").append(diagnosis.cause());
                diagnosis.evidence().forEach((name, value) -> out.append("; ").append(name).append('=').append(value));
                out.append("]\n    ").append(diagnosis.summary()).append('\n');
                int n = 1;
                for (String step : diagnosis.nextSteps()) {
                    out.append("    ").append(n++).append(". ").append(step).append('\n');
                }
            }
        }
        if (blocked()) {
            out.append('\n').append(style(color, BOLD, "Whitelist")).append('\n');
            ruleExclusion.ifPresent(exclusion -> {
                out.append("  Apache, narrowest (only the rules the server log names, only on the callback paths):\n");
                exclusion.lines().forEach(line -> out.append("    ").append(line).append('\n'));
                out.append("  Or, broader:\n");
            });
            whitelist.toText().lines().forEach(line -> out.append("  ").append(line).append('\n'));
        }
        long warnings = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        out.append('\n').append(passed()
                ? style(color, GREEN, "All " + checks.size() + " checks passed") + (warnings > 0 ? " (" + warnings
                        + (warnings == 1 ? " warning" : " warnings") + ")" : "") + "."
                : style(color, RED, failures() + " of " + checks.size() + " checks failed") + ".").append('\n');
        return out.toString();
    }

    /**
     * The report for machines: {@code schemaVersion} ({@value #SCHEMA_VERSION}), {@code checkedAt},
     * {@code durationMs}, target, providers, passed, each check with its HTTP status and diagnosis
     * ({@code checks}), the burst's checks on their own ({@code burst}), the whitelist, and the
     * rule exclusion the server log allowed ({@code ruleExclusion}, null without one).
     */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("checkedAt", checkedAt.toString());
        json.put("durationMs", duration.toMillis());
        json.put("mountUrl", mountUrl.toString());
        json.put("providers", providers);
        json.put("passed", passed());
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Map<String, Object>> bursts = new ArrayList<>();
        for (Check check : checks) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("area", check.area());
            line.put("name", check.name());
            line.put("status", check.status().name());
            line.put("message", check.message());
            line.put("httpStatus", check.httpStatus().isPresent() ? check.httpStatus().getAsInt() : null);
            check.diagnosis().ifPresent(d -> line.put("diagnosis", diagnosis(d)));
            (check.area().equals(BURST) ? bursts : lines).add(line);
        }
        json.put("checks", lines);
        json.put("burst", bursts);
        json.put("whitelist", whitelist(whitelist));
        json.put("ruleExclusion", ruleExclusion.orElse(null));
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report could not be written as JSON", e);
        }
    }

    private static void line(StringBuilder out, Check check, int width, boolean color) {
        out.append(badge(check.status(), color)).append(' ')
                .append(String.format("%-5s  %-" + width + "s  ", check.area(), check.name()))
                .append(check.message()).append('\n');
    }

    private static boolean sameFinding(Diagnosis a, Diagnosis b) {
        return a.verdict() == b.verdict() && a.firewall().equals(b.firewall()) && a.cause().equals(b.cause())
                && a.summary().equals(b.summary());
    }

    static Map<String, Object> whitelist(Whitelist whitelist) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", whitelist.host());
        json.put("paths", whitelist.paths().stream().map(p -> {
            Map<String, Object> path = new LinkedHashMap<>();
            path.put("provider", p.provider());
            path.put("kind", p.kind());
            path.put("methods", p.methods());
            path.put("pattern", p.glob());
            return path;
        }).toList());
        json.put("pathRegex", whitelist.pathRegex());
        Map<String, Object> sourceIps = new LinkedHashMap<>();
        whitelist.sourceIps().forEach((provider, ips) ->
                sourceIps.put(provider, Map.of("addresses", ips.addresses(), "source", ips.source())));
        json.put("sourceIps", sourceIps);
        json.put("cloudflareExpression", whitelist.cloudflareExpression());
        json.put("modSecurity", whitelist.modSecurity());
        json.put("nginx", whitelist.nginx());
        json.put("apache", whitelist.apache());
        return json;
    }

    private static Map<String, Object> diagnosis(Diagnosis diagnosis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("verdict", diagnosis.verdict().name());
        json.put("firewall", diagnosis.firewall().orElse(null));
        json.put("cause", diagnosis.cause());
        json.put("evidence", diagnosis.evidence());
        json.put("providerWillRetry", diagnosis.providerWillRetry());
        json.put("retriesUntil", diagnosis.retriesUntil().map(Object::toString).orElse(null));
        json.put("summary", diagnosis.summary());
        json.put("nextSteps", diagnosis.nextSteps());
        return json;
    }

    private static String badge(Check.Status status, boolean color) {
        return switch (status) {
            case PASS -> style(color, GREEN, "[ ok ]");
            case WARN -> style(color, YELLOW, "[warn]");
            case FAIL -> style(color, RED, "[FAIL]");
            case SKIP -> style(color, DIM, "[skip]");
        };
    }

    private static String style(boolean color, String code, String text) {
        return color ? code + text + RESET : text;
    }
}
