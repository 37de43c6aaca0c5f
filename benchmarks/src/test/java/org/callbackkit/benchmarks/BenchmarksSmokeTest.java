package org.callbackkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark with tiny counts so that {@code mvn verify} keeps them compiling and
 * running. Nothing here is a measurement and nothing asserts a time: only that each benchmark
 * wrote its section of a scratch results file and that the callbacks it sent were acknowledged.
 */
class BenchmarksSmokeTest {

    private static final Map<String, String> TINY = Map.ofEntries(
            Map.entry("levels", "2"), Map.entry("jitWarmup", "0.1"), Map.entry("warmup", "0.2"), Map.entry("seconds", "0.3"),
            Map.entry("rounds", "1"),
            Map.entry("rate", "50"), Map.entry("count", "300"), Map.entry("forks", "0"),
            Map.entry("warmupIterations", "0"), Map.entry("iterations", "1"), Map.entry("iterationMillis", "20"),
            Map.entry("corpus", "../callback-core/src/test/resources/corpus"),
            Map.entry("pending", "0,100"), Map.entry("journal", "200"), Map.entry("oldJournal", "50"),
            Map.entry("queries", "20"), Map.entry("querySeconds", "0.1"), Map.entry("cleanupSeconds", "0.3"),
            Map.entry("backlog", "500"));

    @TempDir
    static Path scratch;

    /** One server for the durable benchmarks: starting PostgreSQL is most of their smoke run. */
    private static Postgres postgres;

    /** No non-2xx answer on either side, then each side's CPU per request: server / collector / client (all). */
    private static final String EVERY_REQUEST_ANSWERED_AND_CPU_SPLIT =
            "\\| 0/0 \\|( [0-9.]+ / [0-9.]+ / [0-9.]+ \\([0-9.]+\\) \\|){2}$";

    @BeforeAll
    static void tinyCounts() throws Exception {
        postgres = Postgres.start();
        System.setProperty("results", scratch.resolve("RESULTS.md").toString());
        TINY.forEach(System::setProperty);
    }

    @AfterAll
    static void restore() {
        postgres.close();
        System.clearProperty("results");
        TINY.keySet().forEach(System::clearProperty);
    }

    @Test
    void acknowledgeLoadAnswersEveryCallbackOnBothServlets() throws Exception {
        AckLoad.main(new String[0]);

        List<String> rows = rows("ack");
        assertThat(rows).hasSize(4).allSatisfy(row -> assertThat(row).containsPattern(EVERY_REQUEST_ANSWERED_AND_CPU_SPLIT));
    }

    @Test
    void springLoadAnswersEveryCallbackThroughTheStarterAndTheBareController() throws Exception {
        // no JIT warm-up runs: each run starts a Spring Boot application, the most of this test's time
        System.setProperty("jitWarmup", "0");
        try {
            SpringLoad.main(new String[0]);
        } finally {
            System.setProperty("jitWarmup", TINY.get("jitWarmup"));
        }

        List<String> rows = rows("spring");
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).containsPattern(EVERY_REQUEST_ANSWERED_AND_CPU_SPLIT));
    }

    @Test
    void durableLoadCommitsEveryPushOnPostgresqlAndSqliteAgainstTheBarePersistingServlet() throws Exception {
        DurableLoad.run(postgres);

        List<String> comparisons = rows("durable").stream().filter(row -> row.contains("**")).toList();
        List<String> maxima = rows("durable").stream().filter(row -> !row.contains("**")).toList();
        // per database and level: both sides answered every callback 200, and each committed its rows
        assertThat(comparisons).hasSize(2).allSatisfy(row -> assertThat(row).endsWith("| 0/0 |")
                .containsPattern("\\| [0-9.]+ / [0-9.]+ \\| [0-9 +]+ / [0-9 +]+ \\|")
                .doesNotContain("| 0.00 / ").doesNotContain(" / 0.00 |"));
        assertThat(maxima).hasSize(4).allSatisfy(row -> assertThat(row).matches(".*\\| 0 \\| [0-9,]+ \\|$"));
        assertThat(maxima).allSatisfy(row -> assertThat(row).doesNotContain("| 0 | 0 |"));
    }

    @Test
    void backlogLoadSeedsMeasuresAndCleansUpOnPostgresqlAndSqlite() throws Exception {
        BacklogLoad.run(postgres);

        // per database: 3 backlogs' acknowledgements, 3 backlogs' queries, 2 retention runs
        assertThat(rows("backlog")).hasSize(16);
    }

    @Test
    void schedulerThroughputRunsEveryActionOnBothSidesEmptyAndWithABacklog() throws Exception {
        SchedulerThroughput.run(postgres);

        // per backlog (empty, 500 pending): one summary row and one round
        List<String> rows = rows("scheduler");
        assertThat(rows).hasSize(4);
        assertThat(rows).filteredOn(row -> row.startsWith("| 500 |")).hasSize(2);
        assertThat(rows).filteredOn(row -> !row.contains("**")).hasSize(2) // the rounds, each side's WAL and CPU per action
                .allSatisfy(row -> assertThat(row).containsPattern("(\\| [1-9][0-9,]*; [0-9]+ \\+ [0-9]+ ){2}\\|$"));
    }

    @Test
    void wrkCheckComparesBothClientsOnBothServlets() throws Exception {
        Optional<Path> wrk = WrkCheck.wrk();
        assumeTrue(wrk.isPresent(), "wrk is not on the PATH (apt-get install wrk)");

        WrkCheck.run(wrk.get());

        List<String> rows = rows("wrk");
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).endsWith("| 0/0 |"));
        assertThat(rows.get(0)).startsWith("| wrk ");
    }

    @Test
    void microbenchmarksProduceAScoreEach() throws Exception {
        Micro.main(new String[0]);

        assertThat(rows("micro")).hasSizeGreaterThanOrEqualTo(14);
    }

    @Test
    void memoryFootprintIsMeasured() throws Exception {
        Memory.main(new String[0]);

        assertThat(rows("memory")).hasSize(2);
    }

    /** The data rows of a section's table (after its header and separator). */
    private static List<String> rows(String section) throws Exception {
        String text = Files.readString(scratch.resolve("RESULTS.md"));
        Matcher matcher = Pattern.compile("<!-- begin " + section + " -->(.*)<!-- end " + section + " -->",
                Pattern.DOTALL).matcher(text);
        assertThat(matcher.find()).as("section " + section + " written").isTrue();
        return matcher.group(1).lines().filter(line -> line.startsWith("| ") && !line.startsWith("| connections")
                && !line.startsWith("| database") && !line.startsWith("| round") && !line.startsWith("| benchmark")
                && !line.startsWith("| what") && !line.startsWith("| pending |") && !line.startsWith("| pending actions") && !line.startsWith("| client")).toList();
    }
}
