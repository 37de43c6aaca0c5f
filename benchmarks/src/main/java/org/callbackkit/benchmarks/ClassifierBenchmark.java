package org.callbackkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.diagnose.TransportFailure;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The expert status classifier over the whole diagnosis corpus ({@code callback-core/src/test/resources/corpus},
 * read from the source tree: set {@code -Dcorpus=DIR} when not run from the repository root). One
 * operation classifies every recorded answer once; {@link Micro} divides by the corpus size.
 * Each file is read as callback-core's {@code ClassifierCorpusTest} reads it (that reader is test
 * code, so this is a second, smaller one that skips the expectations): {@code #} header lines (only {@code attempt},
 * {@code url} and {@code probe} matter here), then a status line, headers and body, or
 * {@code FAILURE KIND message}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private StatusClassifier classifier;
    private List<DeliveryAttempt> corpus;

    /** Reads the corpus and builds the classifier with the endpoints the corpus test uses. */
    @Setup
    public void setUp() {
        classifier = StatusClassifier.expert(List.of(
                endpoint("klarna", "push", RetrySchedule.ofDelays(Duration.ofMinutes(5))
                        .thenEvery(Duration.ofHours(4), Duration.ofHours(48))),
                endpoint("klarna", "validation", RetrySchedule.none()),
                endpoint("blockonomics", "payment",
                        RetrySchedule.exponential(Duration.ofSeconds(4), 2, Duration.ofHours(1), 8))));
        corpus = corpus(Path.of(System.getProperty("corpus", "callback-core/src/test/resources/corpus")));
    }

    /** Classifies every entry of the corpus once. */
    @Benchmark
    public void wholeCorpus(Blackhole sink) {
        for (DeliveryAttempt attempt : corpus) {
            sink.consume(classifier.classify(attempt));
        }
    }

    static List<DeliveryAttempt> corpus(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<DeliveryAttempt> attempts = files.filter(f -> f.toString().endsWith(".http")).sorted()
                    .map(ClassifierBenchmark::attempt).toList();
            if (attempts.isEmpty()) {
                throw new IllegalStateException("no .http files in " + directory.toAbsolutePath());
            }
            return attempts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus in " + directory.toAbsolutePath(), e);
        }
    }

    private static DeliveryAttempt attempt(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] attempt = {"klarna", "push"};
        String url = null;
        boolean probe = false;
        int i = 0;
        for (; lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i).substring(1).strip();
            String value = line.substring(line.indexOf(':') + 1).strip();
            if (line.startsWith("attempt:")) {
                attempt = value.split("\\s+");
            } else if (line.startsWith("url:")) {
                url = value;
            } else if (line.startsWith("probe:")) {
                probe = Boolean.parseBoolean(value);
            }
        }
        DeliveryAttempt.Builder builder = DeliveryAttempt.builder(attempt[0], attempt[1]).attemptedAt(T0).probe(probe);
        if (url != null) {
            builder.url(java.net.URI.create(url));
        }
        String first = lines.get(i);
        if (first.startsWith("FAILURE ")) {
            String[] parts = first.split(" ", 3);
            return builder.failure(TransportFailure.valueOf(parts[1]), parts[2]).build();
        }
        String[] status = first.split(" ", 3);
        builder.status(Integer.parseInt(status[1])).reasonPhrase(status.length > 2 ? status[2] : "");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (i++; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            String header = lines.get(i);
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).strip(), n -> new ArrayList<>())
                    .add(header.substring(colon + 1).strip());
        }
        return builder.headers(CallbackHeaders.of(headers))
                .bodyStart(i + 1 < lines.size() ? String.join("\n", lines.subList(i + 1, lines.size())) : "")
                .build();
    }

    private static CallbackEndpoint endpoint(String provider, String kind, RetrySchedule schedule) {
        return CallbackEndpoint.builder(provider, kind).path("/" + provider + "/" + kind).methods("POST")
                .retrySchedule(schedule).handler(r -> CallbackResponse.ok()).build();
    }
}
