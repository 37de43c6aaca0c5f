package org.callbackkit.core.intake;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal's redaction, as the router applies it to every entry: the headers a callback
 * typically carries through a proxy (ten, two of them secret) and Blockonomics' query (five
 * parameters, the secret among them). In core's intake package because {@code Redactor} is
 * package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactionBenchmark {

    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, List<String>> query = new java.util.LinkedHashMap<>();
    private final Redactor redactor = new Redactor(Set.of("X-Demo-Secret"));

    /** Fills the maps once. */
    public RedactionBenchmark() {
        headers.put("Host", List.of("shop.example"));
        headers.put("User-Agent", List.of("APIs-Klarna"));
        headers.put("Accept", List.of("*/*"));
        headers.put("Accept-Encoding", List.of("gzip"));
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Content-Length", List.of("312"));
        headers.put("X-Forwarded-For", List.of("203.0.113.10"));
        headers.put("X-Forwarded-Proto", List.of("https"));
        headers.put("Authorization", List.of("Basic dXNlcjpwYXNz"));
        headers.put("X-Demo-Secret", List.of("s3cr3t"));
        query.put("status", List.of("2"));
        query.put("addr", List.of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        query.put("value", List.of("100000"));
        query.put("txid", List.of("2d05f0c9c3e1c226e63b5fac240137687544cf631cd616fd34fd188fc9020866"));
        query.put("secret", List.of("bench-secret-0123456789abcdef"));
    }

    /** Ten headers, two secret. */
    @Benchmark
    public Map<String, List<String>> headers() {
        return redactor.redact(headers);
    }

    /** Blockonomics' five query parameters, one secret. */
    @Benchmark
    public Map<String, List<String>> blockonomicsQuery() {
        return redactor.redact(query);
    }
}
