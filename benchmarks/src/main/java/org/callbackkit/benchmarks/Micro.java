package org.callbackkit.benchmarks;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 4: the JMH microbenchmarks (provider parsing, the status classifier over the corpus,
 * the journal's redaction, benchmark 1's callbacks dispatched without HTTP), run through JMH's
 * API so that the table lands in the {@code micro} section of RESULTS.md.
 * {@code java -jar benchmarks.jar} runs the same benchmarks with JMH's own command line instead.
 *
 * <p>System properties: {@code forks} (default 1), {@code warmupIterations} (3),
 * {@code iterations} (5), {@code iterationMillis} (1000), {@code corpus} (the corpus directory).
 */
public final class Micro {

    private static final String[] BENCHMARKS = {
        "org.callbackkit.benchmarks.ParseBenchmark",
        "org.callbackkit.blockonomics.BlockonomicsParseBenchmark",
        "org.callbackkit.benchmarks.ClassifierBenchmark",
        "org.callbackkit.core.intake.RedactionBenchmark",
        "org.callbackkit.benchmarks.DispatchBenchmark",
    };

    private Micro() {
    }

    /** Runs every microbenchmark and writes the {@code micro} section. */
    public static void main(String[] args) throws Exception {
        TimeValue iteration = TimeValue.milliseconds(Results.intProperty("iterationMillis", 1000));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(Results.intProperty("forks", 1))
                .warmupIterations(Results.intProperty("warmupIterations", 3))
                .warmupTime(iteration)
                .measurementIterations(Results.intProperty("iterations", 5))
                .measurementTime(iteration)
                .shouldFailOnError(true);
        String corpus = System.getProperty("corpus");
        if (corpus != null) {
            options.jvmArgsAppend("-Dcorpus=" + corpus);
        }
        for (String benchmark : BENCHMARKS) {
            options.include("^" + benchmark.replace(".", "\\.") + "\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        int corpusSize = ClassifierBenchmark.corpus(Path.of(System.getProperty("corpus",
                "callback-core/src/test/resources/corpus"))).size();
        StringBuilder table = new StringBuilder("| benchmark | score | error (99.9%) | unit | note |\n|---|---:|---:|---|---|\n");
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            double score = result.getPrimaryResult().getScore();
            String note = name.endsWith("wholeCorpus")
                    ? String.format(Locale.ROOT, "%d attempts: %.2f us per diagnosis", corpusSize, score / corpusSize)
                    : "";
            table.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s | %s |%n",
                    name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), score,
                    result.getPrimaryResult().getScoreError(), result.getPrimaryResult().getScoreUnit(), note));
        }
        Results.write("micro", "4. JMH microbenchmarks",
                Results.command(Micro.class),
                "JMH 1.37, average time per operation, " + Results.intProperty("forks", 1) + " fork(s), "
                        + Results.intProperty("warmupIterations", 3) + " warm-up and "
                        + Results.intProperty("iterations", 5) + " measured iterations of " + iteration + ". "
                        + "`*PlainJackson` rows are the floor: Jackson's `readTree` of the same bytes without the "
                        + "strict reader's checks; `*RequestOnly` rows build the request that the row above them "
                        + "also dispatches, one thread, a fresh in-memory shop per iteration.\n\n" + table);
    }
}
