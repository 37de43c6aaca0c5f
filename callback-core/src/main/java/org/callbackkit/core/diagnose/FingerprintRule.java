package org.callbackkit.core.diagnose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * One entry of the expert classifier's knowledge, as data: conditions on what an answer showed,
 * the verdict and firewall they mean, values to read off the answer, and advice in plain words.
 * A new WAF is a new rule, not a new branch; see {@link Fingerprints#standard()} for the rules we ship
 * and {@link StatusClassifier#expert(List, List)} to add yours.
 *
 * <p><b>Facts.</b> Conditions and extractions read named facts of a {@link DeliveryAttempt}, each
 * a string; a fact that is absent matches no {@code when} condition and every {@code whenNot}:
 * <ul>
 *   <li>{@value #STATUS}: the status code, e.g. {@code 403}; absent for a transport failure;</li>
 *   <li>{@value #REASON}: the reason phrase, e.g. {@code ModSecurity Action};</li>
 *   <li>{@code header:<name>} (name in lower case, see {@link #header(String)}): the header's values
 *       joined by {@code ", "};</li>
 *   <li>{@value #COOKIES}: the names of the cookies set by the answer, space separated;</li>
 *   <li>{@value #BODY}: the start of the body;</li>
 *   <li>{@value #FAILURE} and {@value #FAILURE_MESSAGE}: the {@link TransportFailure} name and the
 *       client's message;</li>
 *   <li>{@value #REDIRECT}: for an answer with a {@code Location}, why it redirects:
 *       {@code https}, {@code host}, {@code language}, {@code slash}, {@code login} or {@code other};
 *       {@value #LOCATION}: the resolved target;</li>
 *   <li>{@value #PROBE}: for a probe, {@code answered} when the body is the router's probe answer,
 *       else {@code unanswered};</li>
 *   <li>{@value #PATH}, {@value #HOST}, {@value #PORT}: of the attempt's URL, when known;
 *       {@value #PROVIDER} (as displayed, e.g. {@code Klarna}) and {@value #KIND};</li>
 *   <li>{@value #FIREWALL}: the firewall an earlier matching rule recognised.</li>
 * </ul>
 *
 * <p><b>Patterns</b> are Java regular expressions, found anywhere in the fact, ignoring case, with
 * {@code .} matching line ends too. An extraction's pattern has one capturing group.
 *
 * <p><b>Templates</b> (summary and steps) name facts and extracted values in braces:
 * {@code {rayId}}, or {@code {rayId|the Ray ID}} with a fallback. A step naming a value that is
 * absent and has no fallback is left out, so advice never shows an empty blank.
 *
 * <p><b>Kinds of rule.</b> A rule with a verdict decides: the first deciding rule that matches is
 * the diagnosis. A rule without a verdict only recognises a firewall in front of the shop (a CDN
 * header) and evaluation goes on. Immutable; build with {@link #builder(String)}.
 */
public final class FingerprintRule {

    /** Fact: the status code. */
    public static final String STATUS = "status";
    /** Fact: the reason phrase. */
    public static final String REASON = "reason";
    /** Fact: the names of the cookies the answer sets. */
    public static final String COOKIES = "cookies";
    /** Fact: the start of the body. */
    public static final String BODY = "body";
    /** Fact: the transport failure's name. */
    public static final String FAILURE = "failure";
    /** Fact: the transport failure's message. */
    public static final String FAILURE_MESSAGE = "failureMessage";
    /** Fact: why the answer redirects. */
    public static final String REDIRECT = "redirect";
    /** Fact: the redirect's resolved target. */
    public static final String LOCATION = "location";
    /** Fact: whether a probe was answered by the router. */
    public static final String PROBE = "probe";
    /** Fact: the path of the attempt's URL. */
    public static final String PATH = "path";
    /** Fact: the host of the attempt's URL. */
    public static final String HOST = "host";
    /** Fact: the port of the attempt's URL. */
    public static final String PORT = "port";
    /** Fact: the provider, as displayed. */
    public static final String PROVIDER = "provider";
    /** Fact: the callback kind. */
    public static final String KIND = "kind";
    /** Fact: the firewall recognised so far. */
    public static final String FIREWALL = "firewall";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9:_-]*)(?:\\|([^}]*))?}");

    private final String id;
    private final String firewall;
    private final Verdict verdict;
    private final List<Condition> conditions;
    private final List<Extraction> extractions;
    private final String summary;
    private final List<String> steps;

    private FingerprintRule(Builder builder) {
        this.id = builder.id;
        this.firewall = builder.firewall;
        this.verdict = builder.verdict;
        this.conditions = List.copyOf(builder.conditions);
        this.extractions = List.copyOf(builder.extractions);
        this.summary = builder.summary;
        this.steps = List.copyOf(builder.steps);
    }

    /**
     * Starts a rule.
     *
     * @param id a short stable name, e.g. {@code cloudflare.1020}; it becomes {@link Diagnosis#cause()}
     * @throws IllegalArgumentException if blank
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The fact name of header {@code name}: {@code header:} and the name in lower case. */
    public static String header(String name) {
        return "header:" + name.toLowerCase(Locale.ROOT);
    }

    /** The rule's id. */
    public String id() {
        return id;
    }

    /** The firewall this rule recognises, if any. */
    public Optional<String> firewall() {
        return Optional.ofNullable(firewall);
    }

    /** The verdict; empty for a rule that only recognises a firewall. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** The conditions, all of which must hold. */
    public List<Condition> conditions() {
        return conditions;
    }

    /** The values read off a matching answer. */
    public List<Extraction> extractions() {
        return extractions;
    }

    /** The summary template; empty for a rule without a verdict. */
    public String summary() {
        return summary;
    }

    /** The step templates, in order. */
    public List<String> steps() {
        return steps;
    }

    /** Whether every condition holds for {@code facts}. */
    boolean matches(Map<String, String> facts) {
        for (Condition condition : conditions) {
            if (!condition.holds(facts)) {
                return false;
            }
        }
        return true;
    }

    /** Puts each extraction's first capture into {@code values}, unless a value of that name is there. */
    void extractInto(Map<String, String> facts, Map<String, String> values) {
        for (Extraction extraction : extractions) {
            if (values.containsKey(extraction.variable())) {
                continue;
            }
            String fact = facts.get(extraction.fact());
            if (fact == null) {
                continue;
            }
            Matcher matcher = extraction.pattern().matcher(fact);
            if (matcher.find() && matcher.group(1) != null && !matcher.group(1).isBlank()) {
                values.put(extraction.variable(), matcher.group(1).strip());
            }
        }
    }

    /**
     * Fills {@code template} from {@code values}; empty when it names an absent value without a fallback.
     */
    static Optional<String> render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                value = matcher.group(2);
            }
            if (value == null) {
                return Optional.empty();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return Optional.of(out.toString());
    }

    @Override
    public String toString() {
        return "FingerprintRule[" + id + (firewall == null ? "" : " " + firewall) + (verdict == null ? "" : " -> " + verdict)
                + ": " + conditions.stream().map(Condition::toString).collect(Collectors.joining(" and ")) + "]";
    }

    /**
     * One condition: {@code pattern} is found in fact {@code fact} (or, negated, is not).
     *
     * @param fact the fact's name
     * @param pattern what to find in it
     * @param negated whether the condition holds when the pattern is not found (or the fact is absent)
     */
    public record Condition(String fact, Pattern pattern, boolean negated) {

        /** @throws NullPointerException if a component is null */
        public Condition {
            Objects.requireNonNull(fact, "fact");
            Objects.requireNonNull(pattern, "pattern");
        }

        boolean holds(Map<String, String> facts) {
            String value = facts.get(fact);
            boolean found = value != null && pattern.matcher(value).find();
            return found != negated;
        }

        @Override
        public String toString() {
            return fact + (negated ? " !~ /" : " ~ /") + pattern.pattern() + "/";
        }
    }

    /**
     * A value read off the answer: the first group of {@code pattern} found in fact {@code fact}.
     *
     * @param variable the name templates use, e.g. {@code rayId}
     * @param fact the fact read
     * @param pattern a pattern with one capturing group
     */
    public record Extraction(String variable, String fact, Pattern pattern) {

        /** @throws NullPointerException if a component is null */
        public Extraction {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(fact, "fact");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /**
     * Builds a {@link FingerprintRule}; each value is checked as it is set
     * ({@link IllegalArgumentException}) and the whole at {@link #build()}
     * ({@link IllegalStateException}). Not thread-safe.
     */
    public static final class Builder {
        private final String id;
        private String firewall;
        private Verdict verdict;
        private final List<Condition> conditions = new ArrayList<>();
        private final List<Extraction> extractions = new ArrayList<>();
        private String summary = "";
        private final List<String> steps = new ArrayList<>();

        private Builder(String id) {
            this.id = requireText(id, "id");
        }

        /** The firewall, WAF or CDN this rule recognises, e.g. {@code Cloudflare}. */
        public Builder firewall(String firewall) {
            this.firewall = requireText(firewall, "firewall");
            return this;
        }

        /** The verdict this rule decides; without one the rule only recognises a firewall. */
        public Builder verdict(Verdict verdict) {
            this.verdict = Objects.requireNonNull(verdict, "verdict");
            return this;
        }

        /**
         * Requires {@code regex} to be found in fact {@code fact}.
         *
         * @throws IllegalArgumentException if the regex does not compile
         */
        public Builder when(String fact, String regex) {
            conditions.add(new Condition(requireText(fact, "fact"), compile(regex), false));
            return this;
        }

        /**
         * Requires {@code regex} not to be found in fact {@code fact} (or the fact to be absent).
         *
         * @throws IllegalArgumentException if the regex does not compile
         */
        public Builder whenNot(String fact, String regex) {
            conditions.add(new Condition(requireText(fact, "fact"), compile(regex), true));
            return this;
        }

        /**
         * Requires one of these status codes.
         *
         * @throws IllegalArgumentException if none is given or one is not 100..599
         */
        public Builder whenStatus(int... codes) {
            if (codes.length == 0) {
                throw new IllegalArgumentException("at least one status code");
            }
            for (int code : codes) {
                if (code < 100 || code > 599) {
                    throw new IllegalArgumentException("status must be 100..599: " + code);
                }
            }
            return when(STATUS, "^(?:" + Arrays.stream(codes).mapToObj(Integer::toString)
                    .collect(Collectors.joining("|")) + ")$");
        }

        /**
         * Requires a status of class {@code hundreds}: 2 for 2xx, ... 5 for 5xx.
         *
         * @throws IllegalArgumentException unless 1..5
         */
        public Builder whenStatusClass(int hundreds) {
            if (hundreds < 1 || hundreds > 5) {
                throw new IllegalArgumentException("status class must be 1..5: " + hundreds);
            }
            return when(STATUS, "^" + hundreds + "\\d\\d$");
        }

        /** Requires header {@code name} to be present. */
        public Builder whenHeader(String name) {
            return when(header(requireText(name, "header name")), "");
        }

        /** Requires {@code regex} in a value of header {@code name}. */
        public Builder whenHeader(String name, String regex) {
            return when(header(requireText(name, "header name")), regex);
        }

        /** Requires {@code regex} in the start of the body. */
        public Builder whenBody(String regex) {
            return when(BODY, regex);
        }

        /** Requires {@code regex} in the reason phrase. */
        public Builder whenReason(String regex) {
            return when(REASON, regex);
        }

        /** Requires a cookie whose name {@code regex} finds. */
        public Builder whenCookie(String regex) {
            return when(COOKIES, regex);
        }

        /**
         * Requires one of these transport failures.
         *
         * @throws IllegalArgumentException if none is given
         */
        public Builder whenFailure(TransportFailure... failures) {
            if (failures.length == 0) {
                throw new IllegalArgumentException("at least one failure");
            }
            return when(FAILURE, "^(?:" + Arrays.stream(failures).map(Enum::name).collect(Collectors.joining("|")) + ")$");
        }

        /** Requires {@code regex} in the transport failure's message. */
        public Builder whenFailureMessage(String regex) {
            return when(FAILURE_MESSAGE, regex);
        }

        /**
         * Reads {@code variable} from fact {@code fact}: the first group of {@code regex}. Several
         * extractions of one variable are tried in order; the first found wins.
         *
         * @throws IllegalArgumentException if the regex does not compile or has no capturing group
         */
        public Builder extract(String variable, String fact, String regex) {
            Pattern pattern = compile(regex);
            if (pattern.matcher("").groupCount() < 1) {
                throw new IllegalArgumentException("an extraction needs a capturing group: " + regex);
            }
            extractions.add(new Extraction(requireText(variable, "variable"), requireText(fact, "fact"), pattern));
            return this;
        }

        /** The one-sentence summary template. */
        public Builder summary(String template) {
            this.summary = requireText(template, "summary");
            return this;
        }

        /** Adds a next-step template. */
        public Builder step(String template) {
            steps.add(requireText(template, "step"));
            return this;
        }

        /**
         * Builds the rule.
         *
         * @throws IllegalStateException without a condition; with a verdict but no summary; or
         *     with neither verdict nor firewall
         */
        public FingerprintRule build() {
            if (conditions.isEmpty()) {
                throw new IllegalStateException("rule " + id + " has no condition");
            }
            if (verdict != null && summary.isEmpty()) {
                throw new IllegalStateException("rule " + id + " decides a verdict but has no summary");
            }
            if (verdict == null && firewall == null) {
                throw new IllegalStateException("rule " + id + " needs a verdict or a firewall");
            }
            return new FingerprintRule(this);
        }

        private static Pattern compile(String regex) {
            Objects.requireNonNull(regex, "regex");
            try {
                return Pattern.compile(regex, FLAGS);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad pattern: " + e.getMessage(), e);
            }
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
