package org.callbackkit.core.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classifier against recorded answers in {@code src/test/resources/corpus}: block pages of each
 * WAF, the shop's own answers, redirects, 2xx that are not proof, and transport failures as
 * providers' logs word them. Each file states the verdict, firewall ({@code -} for none) and
 * deciding rule it must get, and sometimes values the rules must read off it:
 *
 * <pre>
 * # expect: BLOCKED_BY_FIREWALL | Cloudflare | cloudflare.access-denied
 * # attempt: klarna push            (default)
 * # url: https://shop.example/...   (optional: the URL the attempt went to)
 * # probe: true                     (optional)
 * # evidence: rayId=8f1b2c3d4e5f6a7b
 * HTTP/1.1 403 Forbidden
 * Server: cloudflare
 *
 * body...
 * </pre>
 *
 * or {@code FAILURE CERTIFICATE <message>} instead of the answer. TLS failures from real servers
 * are in callback-doctor's {@code TlsCorpusTest}.
 */
class ClassifierCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final StatusClassifier CLASSIFIER = StatusClassifier.expert(List.of(
            endpoint("klarna", "push", RetrySchedule.ofDelays(Duration.ofMinutes(5)).thenEvery(Duration.ofHours(4),
                    Duration.ofHours(48))),
            endpoint("klarna", "validation", RetrySchedule.none()),
            endpoint("blockonomics", "payment", RetrySchedule.exponential(Duration.ofSeconds(4), 2, Duration.ofHours(1), 8))));

    record Entry(String name, Verdict verdict, Optional<String> firewall, String cause, Map<String, String> evidence,
            DeliveryAttempt attempt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Entry> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".http")).sorted().map(ClassifierCorpusTest::parse).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachRecordedAnswerGetsItsVerdictFirewallAndCause(Entry entry) {
        Diagnosis diagnosis = CLASSIFIER.classify(entry.attempt());

        assertThat(diagnosis.verdict()).as("verdict").isEqualTo(entry.verdict());
        assertThat(diagnosis.firewall()).as("firewall").isEqualTo(entry.firewall());
        assertThat(diagnosis.cause()).as("deciding rule").isEqualTo(entry.cause());
        assertThat(diagnosis.evidence()).as("evidence").containsAllEntriesOf(entry.evidence());
        assertThat(diagnosis.summary()).isNotBlank().doesNotContain("{", "}");
        assertThat(diagnosis.nextSteps()).allSatisfy(step -> assertThat(step).doesNotContain("{", "}"));
        if (entry.verdict() != Verdict.DELIVERED) {
            assertThat(diagnosis.nextSteps()).as("advice").isNotEmpty();
        }
    }

    @Test
    void theCorpusIsLargeAndEveryDecidingRuleWeShipIsExercised() throws IOException {
        List<Entry> corpus = corpus();
        Set<String> causes = corpus.stream().map(Entry::cause).collect(Collectors.toSet());
        List<String> unexercised = new ArrayList<>();
        for (FingerprintRule rule : concat(Fingerprints.standard(), Fingerprints.statusClassFallbacks())) {
            if (rule.verdict().isPresent() && !causes.contains(rule.id()) && !rule.id().equals("status.1xx")) {
                unexercised.add(rule.id());
            }
        }

        assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
        assertThat(unexercised).as("rules no corpus entry decides").isEmpty();
        assertThat(corpus.stream().map(e -> e.firewall().orElse("-")).collect(Collectors.toSet()))
                .contains("Cloudflare", "Sucuri", "Wordfence", "ModSecurity", "Imperva", "Akamai", "LiteSpeed",
                        Diagnosis.UNKNOWN_FIREWALL, "-");
    }

    private static List<FingerprintRule> concat(List<FingerprintRule> a, List<FingerprintRule> b) {
        List<FingerprintRule> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static CallbackEndpoint endpoint(String provider, String kind, RetrySchedule schedule) {
        return CallbackEndpoint.builder(provider, kind).path("/" + provider + "/" + kind).methods("POST")
                .retrySchedule(schedule).handler(r -> CallbackResponse.ok()).build();
    }

    private static Entry parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = file.getFileName().toString().replace(".http", "");
        String[] expect = null;
        String[] attempt = {"klarna", "push"};
        String url = null;
        boolean probe = false;
        Map<String, String> evidence = new LinkedHashMap<>();
        int i = 0;
        for (; i < lines.size() && lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i).substring(1).strip();
            int colon = line.indexOf(':');
            String key = colon < 0 ? "" : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            switch (key) {
                case "expect" -> expect = value.split("\\s*\\|\\s*");
                case "attempt" -> attempt = value.split("\\s+");
                case "url" -> url = value;
                case "probe" -> probe = Boolean.parseBoolean(value);
                case "evidence" -> evidence.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                default -> { } // a note
            }
        }
        if (expect == null || expect.length != 3) {
            throw new IllegalArgumentException(name + ": needs '# expect: VERDICT | firewall | cause'");
        }
        DeliveryAttempt.Builder builder = DeliveryAttempt.builder(attempt[0], attempt[1]).attemptedAt(T0).probe(probe);
        if (url != null) {
            try {
                builder.url(new URI(url));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(name + ": bad url", e);
            }
        }
        String first = lines.get(i);
        if (first.startsWith("FAILURE ")) {
            String[] parts = first.split(" ", 3);
            builder.failure(TransportFailure.valueOf(parts[1]), parts[2]);
        } else {
            String[] status = first.split(" ", 3);
            builder.status(Integer.parseInt(status[1])).reasonPhrase(status.length > 2 ? status[2] : "");
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (i++; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                String header = lines.get(i);
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon).strip(), n -> new ArrayList<>())
                        .add(header.substring(colon + 1).strip());
            }
            builder.headers(CallbackHeaders.of(headers));
            builder.bodyStart(i + 1 < lines.size() ? String.join("\n", lines.subList(i + 1, lines.size())) : "");
        }
        return new Entry(name, Verdict.valueOf(expect[0]), expect[1].equals("-") ? Optional.empty() : Optional.of(expect[1]),
                expect[2], evidence, builder.build());
    }
}
