package org.callbackkit.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.eclipse.jetty.server.Server;

/**
 * Benchmark 1: acknowledge throughput and latency of every provider's main callback (the Klarna
 * push, the Blockonomics payment, the Ecster notification, the Avarda notification) through
 * {@code CallbackServlet} on embedded Jetty, with the in-memory journal and
 * scheduler, against a bare servlet that only answers 200 on an identically configured Jetty, in
 * the same JVM, with the same client and the same requests, at each concurrency level.
 *
 * <p>The in-memory scheduler runs no worker threads here: every push and notification stays
 * pending, so what is measured is the acknowledgement, not the provider's order read done later (benchmark 3 measures the
 * delayed work). Writes the {@code ack} section of RESULTS.md.
 *
 * <p>System properties: {@code jitWarmup} (default 5: seconds each side and callback runs,
 * unmeasured, before the first row), {@code levels} (default 1,16,64), {@code warmup} and
 * {@code seconds} per run (default 2 and 3), {@code callbacks} (default
 * KLARNA_PUSH,BLOCKONOMICS,ECSTER,AVARDA: which rows to run), {@code rounds} (default 6: bare and ours alternate, ABBA, and the
 * median of the rounds' ratios counts, which keeps a neighbour's burst on a shared machine from
 * deciding a ratio).
 */
public final class AckLoad {

    /** The target: ours at least this fraction of the bare servlet's rate at every level. */
    private static final double TARGET = 0.9;

    private AckLoad() {
    }

    /** Runs the benchmark and writes its section of RESULTS.md. */
    public static void main(String[] args) throws Exception {
        String loadBefore = DurableLoad.loadAverage();
        Callback[] callbacks = Arrays.stream(System.getProperty("callbacks", "KLARNA_PUSH,BLOCKONOMICS,ECSTER,AVARDA")
                .split(",")).map(name -> Callback.valueOf(name.trim())).toArray(Callback[]::new);
        AbbaRounds.Sizes sizes = AbbaRounds.Sizes.fromProperties();
        AbbaRounds.Table table = AbbaRounds.compare(sizes, callbacks, callback -> callback.label, AckLoad::run,
                connections -> TARGET);
        Results.write("ack", "1. Acknowledge throughput and latency, in memory, against a bare servlet",
                Results.command(AckLoad.class),
                String.format(Locale.ROOT, """
                        Closed loop, keep-alive HTTP/1.1, the module's raw-socket client (`HttpLoad`) on the same machine
                        as the server; first %s s of each side and callback unmeasured (JIT warm-up), then per run
                        %s s warm-up excluded and %s s measured; %d rounds per row, bare and ours
                        alternating (ABBA); the ratio is the median of the rounds' ratios, throughput and latency are
                        from each side's best round. Bare and ours receive the same requests, each one new and
                        authenticated as the provider sends it (the Klarna push from `KlarnaCallbackRequests.push`,
                        the confirmed payment from `BlockonomicsCallbackRequests.confirmed`, the notifications from
                        `EcsterCallbackRequests.notification` and `AvardaCallbackRequests.completed`) on the same
                        Jetty configuration. Load average (1 / 5 / 15 min) %s at the start, %s at the end.
                        Target ratio >= %.1f at every level: **%s**.
                        %s

                        """, Results.seconds(sizes.jitWarmup()), Results.seconds(sizes.warmup()), Results.seconds(sizes.measure()),
                        sizes.rounds(), loadBefore, DurableLoad.loadAverage(), TARGET,
                        table.allMet() ? "met" : "not met at every level", AbbaRounds.CPU_COLUMNS)
                        + table.markdown());
    }

    enum Callback {
        KLARNA_PUSH("Klarna push", BenchShop::klarnaPush),
        BLOCKONOMICS("Blockonomics payment", BenchShop::blockonomicsPayment),
        ECSTER("Ecster notification", BenchShop::ecsterNotification),
        AVARDA("Avarda notification", BenchShop::avardaNotification);

        final String label;
        final Function<BenchShop, byte[]> request;

        Callback(String label, Function<BenchShop, byte[]> request) {
            this.label = label;
            this.request = request;
        }
    }

    /**
     * One run on a fresh server and a fresh shop (journal ring of the default 10,000, scheduler,
     * idempotency store, payment ledger), so that the pending pushes and counted payments of
     * earlier runs do not pile up on the heap of later ones; the bare servlet gets a fresh server
     * too. The requests are the shop's either way.
     */
    static HttpLoad.Outcome run(boolean ours, Callback callback, int connections, Duration warmup,
            Duration measure) throws Exception {
        InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(0).build();
        try (BenchShop shop = new BenchShop(new InMemoryCallbackJournal(), scheduler, new InMemoryStateStore())) {
            Server server = Servers.start(ours ? shop.servlet() : new Servers.BareServlet());
            try {
                HttpLoad.Outcome outcome = HttpLoad.closedLoop(Servers.port(server), connections, warmup, measure,
                        10_000_000, (connection, sequence) -> callback.request.apply(shop));
                if (ours && scheduler.pending().size() + shop.paymentsCounted() < outcome.requests()) {
                    throw new IllegalStateException(callback.label + ": " + outcome.requests() + " acknowledged, but only "
                            + scheduler.pending().size() + " scheduled and " + shop.paymentsCounted() + " counted");
                }
                return outcome;
            } finally {
                server.stop();
                scheduler.close();
            }
        }
    }
}
