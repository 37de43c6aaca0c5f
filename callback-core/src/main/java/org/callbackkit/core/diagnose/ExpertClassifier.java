package org.callbackkit.core.diagnose;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.PathTemplate;
import org.callbackkit.core.journal.JournalEntry;

/**
 * Evaluates {@link FingerprintRule}s in order over the facts of an attempt: rules without a verdict
 * recognise a firewall and evaluation goes on; the first rule with a verdict decides. The status
 * class fallbacks end the list, so some rule always decides. A firewall's block page served with a
 * 2xx is {@link Verdict#SUSPECT_SUCCESS}: a 200 is not proof.
 */
final class ExpertClassifier implements StatusClassifier {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern CHARACTER_REFERENCE = Pattern.compile("&#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});");
    private static final Pattern PROBE_ANSWER = Pattern.compile("\"probe\"\\s*:\\s*\"ok\"");

    private final List<FingerprintRule> rules;
    private final Map<String, RetrySchedule> schedules = new HashMap<>();
    /** Per provider and kind, the paths it is mounted at: a kind may have two (Klarna's push with the id in path or query). */
    private final Map<String, List<PathTemplate>> templates = new HashMap<>();

    ExpertClassifier(List<CallbackEndpoint> endpoints, List<FingerprintRule> rules) {
        List<FingerprintRule> all = new ArrayList<>(rules);
        all.addAll(Fingerprints.statusClassFallbacks());
        this.rules = List.copyOf(all);
        for (CallbackEndpoint endpoint : endpoints) {
            schedules.put(endpoint.provider() + "/" + endpoint.kind(), endpoint.retrySchedule());
            templates.computeIfAbsent(endpoint.provider() + "/" + endpoint.kind(), kind -> new ArrayList<>())
                    .add(new PathTemplate(endpoint.path()));
        }
    }

    @Override
    public Diagnosis classify(DeliveryAttempt attempt) {
        Map<String, String> facts = facts(attempt);
        Map<String, String> evidence = new LinkedHashMap<>();
        String firewall = null;
        FingerprintRule decided = null;
        for (FingerprintRule rule : rules) {
            if (!rule.matches(facts)) {
                continue;
            }
            rule.extractInto(facts, evidence);
            if (rule.verdict().isPresent()) {
                decided = rule;
                break;
            }
            if (firewall == null) {
                firewall = rule.firewall().orElseThrow();
                facts.put(FingerprintRule.FIREWALL, firewall);
            }
        }
        if (decided == null) { // unreachable: the fallbacks cover every status and failure
            throw new IllegalStateException("no rule decided " + attempt);
        }
        Verdict verdict = decided.verdict().orElseThrow();
        if (decided.firewall().isPresent()) {
            firewall = decided.firewall().get();
            facts.put(FingerprintRule.FIREWALL, firewall);
        } else if (verdict != Verdict.BLOCKED_BY_FIREWALL && verdict != Verdict.RATE_LIMITED) {
            firewall = null; // passing through a CDN is no evidence that it refused anything
        }
        Map<String, String> values = new HashMap<>(facts);
        values.putAll(evidence);
        String summary = FingerprintRule.render(decided.summary(), values).orElse(decided.summary());
        boolean tookAsSuccess = attempt.status().orElse(0) / 100 == 2;
        if ((verdict == Verdict.BLOCKED_BY_FIREWALL || verdict == Verdict.RATE_LIMITED) && tookAsSuccess) {
            summary = "Served with a " + attempt.status().getAsInt() + ", which is not proof: " + summary;
        }
        List<String> steps = new ArrayList<>();
        for (String step : decided.steps()) {
            FingerprintRule.render(step, values).ifPresent(steps::add);
        }

        RetrySchedule schedule = schedules.getOrDefault(attempt.provider() + "/" + attempt.kind(), RetrySchedule.none());
        boolean willRetry = !tookAsSuccess && attempt.attemptNumber() < schedule.maxAttempts();
        Optional<Instant> until = willRetry ? Optional.of(schedule.givesUpAt(attempt.firstAttemptAt())) : Optional.empty();
        retryStep(attempt, verdict, schedule, until, facts.get(FingerprintRule.PROVIDER)).ifPresent(steps::add);
        return new Diagnosis(verdict, Optional.ofNullable(firewall), willRetry, until, summary, steps, decided.id(),
                evidence);
    }

    private static Optional<String> retryStep(DeliveryAttempt attempt, Verdict verdict, RetrySchedule schedule,
            Optional<Instant> until, String provider) {
        if (verdict == Verdict.DELIVERED || attempt.provider().equals(JournalEntry.UNMATCHED)) {
            return Optional.empty(); // nothing missed, or no provider's callback to speak of
        }
        if (until.isPresent()) {
            return Optional.of(provider + " retries this callback until " + WHEN.format(until.get()) + " ("
                    + schedule.description() + "); once this is fixed, a retry gets through on its own.");
        }
        String missed = "recover what it carried from " + provider + "'s API or merchant portal.";
        if (attempt.status().orElse(0) / 100 == 2) { // the provider took it as success: a block page, a hidden error
            return Optional.of(provider + " took the " + attempt.status().orElse(200)
                    + " as success and will not send this callback again: " + missed);
        }
        if (schedule.retries()) {
            return Optional.of("That was " + provider + "'s last attempt: once this is fixed, " + missed);
        }
        return Optional.of(provider + " does not retry " + attempt.kind() + " callbacks: once this is fixed, " + missed);
    }

    /**
     * The facts of {@link FingerprintRule} for one attempt. The path is the endpoint's pattern
     * below its mount point ({@code /callbacks/klarna/push/*}) when the URL matches the endpoint.
     */
    Map<String, String> facts(DeliveryAttempt attempt) {
        Map<String, String> facts = new HashMap<>();
        facts.put(FingerprintRule.PROVIDER, displayName(attempt.provider()));
        facts.put(FingerprintRule.KIND, attempt.kind());
        attempt.status().ifPresent(status -> facts.put(FingerprintRule.STATUS, Integer.toString(status)));
        if (!attempt.reasonPhrase().isEmpty()) {
            facts.put(FingerprintRule.REASON, attempt.reasonPhrase());
        }
        attempt.headers().asMap().forEach((name, values) -> facts.put(FingerprintRule.header(name), String.join(", ", values)));
        List<String> cookies = new ArrayList<>();
        for (String cookie : attempt.headers().all("Set-Cookie")) {
            int equals = cookie.indexOf('=');
            if (equals > 0) {
                cookies.add(cookie.substring(0, equals).strip());
            }
        }
        if (!cookies.isEmpty()) {
            facts.put(FingerprintRule.COOKIES, String.join(" ", cookies));
        }
        if (!attempt.bodyStart().isEmpty()) {
            facts.put(FingerprintRule.BODY, decodeCharacterReferences(attempt.bodyStart()));
        }
        attempt.failure().ifPresent(failure -> {
            facts.put(FingerprintRule.FAILURE, failure.name());
            facts.put(FingerprintRule.FAILURE_MESSAGE, attempt.failureMessage());
        });
        attempt.url().ifPresent(url -> {
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            facts.put(FingerprintRule.PATH, templates.getOrDefault(attempt.provider() + "/" + attempt.kind(), List.of())
                    .stream().flatMap(template -> template.mountOf(path).map(mount -> mount + template.glob()).stream())
                    .findFirst().orElse(path));
            facts.put(FingerprintRule.HOST, url.getHost());
            facts.put(FingerprintRule.PORT, Integer.toString(url.getPort() > 0 ? url.getPort()
                    : "https".equals(url.getScheme()) ? 443 : 80));
        });
        Optional<String> location = attempt.headers().first("Location");
        if (location.isPresent() && attempt.status().orElse(0) / 100 == 3) {
            Optional<URI> target = Redirects.target(attempt.url(), location.get());
            facts.put(FingerprintRule.LOCATION, target.map(URI::toString).orElse(location.get()));
            facts.put(FingerprintRule.REDIRECT, target.map(t -> Redirects.reason(attempt.url(), t)).orElse(Redirects.OTHER));
        }
        if (attempt.probe()) {
            facts.put(FingerprintRule.PROBE, PROBE_ANSWER.matcher(attempt.bodyStart()).find() ? "answered" : "unanswered");
        }
        return facts;
    }

    /** {@code &#35;} and {@code &#x23;} as {@code #}: Akamai's page, for one, escapes its punctuation so. */
    static String decodeCharacterReferences(String text) {
        if (text.indexOf("&#") < 0) {
            return text;
        }
        return CHARACTER_REFERENCE.matcher(text).replaceAll(match -> {
            String digits = match.group(1);
            try {
                int codePoint = digits.startsWith("x") || digits.startsWith("X")
                        ? Integer.parseInt(digits.substring(1), 16) : Integer.parseInt(digits);
                return Character.isValidCodePoint(codePoint)
                        ? Matcher.quoteReplacement(new String(Character.toChars(codePoint)))
                        : Matcher.quoteReplacement(match.group());
            } catch (NumberFormatException e) {
                return Matcher.quoteReplacement(match.group());
            }
        });
    }

    /** {@code klarna} as {@code Klarna}; a request that matched no endpoint as "The provider". */
    static String displayName(String provider) {
        if (provider.isEmpty() || provider.equals(JournalEntry.UNMATCHED)) {
            return "The provider";
        }
        return provider.substring(0, 1).toUpperCase(Locale.ROOT) + provider.substring(1);
    }
}
