package org.callbackkit.blockonomics;

import java.util.concurrent.TimeUnit;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackRequest;
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
 * Parsing a Blockonomics callback (query parameters, checked one by one) with the module's own
 * package-private parser; this benchmark sits in the module's package for that reason only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BlockonomicsParseBenchmark {

    private final CallbackRequest confirmed = new BlockonomicsCallbackRequests("bench-secret-0123456789abcdef")
            .confirmed("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 100_000,
                    "2d05f0c9c3e1c226e63b5fac240137687544cf631cd616fd34fd188fc9020866");

    /** A confirmed BTC payment. */
    @Benchmark
    public BlockonomicsCallback blockonomicsPayment() {
        return BlockonomicsCallbackParser.parse(confirmed);
    }
}
