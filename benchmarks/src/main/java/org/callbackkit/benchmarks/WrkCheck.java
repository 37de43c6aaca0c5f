package org.callbackkit.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.eclipse.jetty.server.Server;

/**
 * Benchmark 1's Klarna push row driven by an independent client as well as by ours: the same two
 * servers as {@link AckLoad} (the real {@code CallbackServlet} over {@link BenchShop} with the
 * in-memory journal and scheduler, and the bare servlet, on identically configured Jetty), loaded
 * by Debian's {@code wrk} with the module's script {@code wrk/klarna-push.lua} and by
 * {@link HttpLoad}, bare and ours alternating (ABBA) in each round and the two clients alternating
 * which goes first, so that the section shows both clients' ratios and rates side by side and the
 * ratio does not rest on our own client alone.
 *
 * <p>The script builds every request itself, each for a new order id; before measuring, this
 * class captures the first requests wrk sends and checks them byte for byte against
 * {@link BenchShop}'s push with the same order id. On ours, every request wrk or {@code HttpLoad}
 * counted must have left a pending action (as {@link AckLoad} checks), and non-2xx answers and
 * socket errors are reported. wrk runs fresh for each run, a warm-up run first (not recorded),
 * on a fresh server and shop, as {@link AckLoad} does. Writes the {@code wrk} section of RESULTS.md.
 *
 * <p>Needs {@code wrk} on the PATH ({@code apt-get install wrk}); without it, {@link #main} says so
 * and exits with status 2. System properties: {@code connections} (default 16), {@code wrkThreads}
 * (2, wrk's {@code -t}), {@code jitWarmup} (5 s each side before the first round, with
 * {@code HttpLoad}), {@code warmup} and {@code seconds} per run (2 and 3; wrk takes whole
 * seconds, so fractions are rounded up for wrk), {@code rounds} (6; the median of the rounds'
 * ratios counts).
 */
public final class WrkCheck {

    private static final String SCRIPT = "/wrk/klarna-push.lua";
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m|h)");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s|m|h)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern ORDER_ID = Pattern.compile("klarna_order_id=([^ &]+)");

    private WrkCheck() {
    }

    /** What one wrk run reported: requests and rate, latency percentiles in ms, non-2xx and socket errors. */
    record WrkOutcome(long requests, double perSecond, double p50, double p90, double p99, long non2xx, long errors) {
    }

    /** Runs the check with the wrk on the PATH and writes its section of RESULTS.md; exits 2 without wrk. */
    public static void main(String[] args) throws Exception {
        Optional<Path> wrk = wrk();
        if (wrk.isEmpty()) {
            System.err.println("WrkCheck needs wrk, which is not on the PATH: install it (Debian: apt-get install wrk)"
                    + " and run again.");
            System.exit(2);
        }
        run(wrk.get());
    }

    /** The {@code wrk} executable on the PATH, if any. */
    static Optional<Path> wrk() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "wrk");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs the check with {@code wrk}. */
    static void run(Path wrk) throws Exception {
        int connections = Results.intProperty("connections", 16);
        int wrkThreads = Math.min(connections, Results.intProperty("wrkThreads", 2));
        Duration jitWarmup = Results.secondsProperty("jitWarmup", 5);
        Duration warmup = Results.secondsProperty("warmup", 2);
        Duration measure = Results.secondsProperty("seconds", 3);
        int rounds = Results.intProperty("rounds", 6);
        String loadBefore = DurableLoad.loadAverage();
        Path script = Files.createTempFile("callbackkit-klarna-push", ".lua");
        try (InputStream lua = WrkCheck.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, lua.readAllBytes());
        }
        try {
            Wrk client = new Wrk(wrk, script, wrkThreads, connections, wholeSeconds(warmup), wholeSeconds(measure));
            String version = client.checkRequests();
            for (boolean ours : new boolean[] {false, true}) { // as AckLoad: every path compiled before any round
                AckLoad.run(ours, AckLoad.Callback.KLARNA_PUSH, connections, Duration.ZERO, jitWarmup);
            }
            double[] wrkRatios = new double[rounds];
            double[] ownRatios = new double[rounds];
            WrkOutcome[] wrkBest = new WrkOutcome[2];
            HttpLoad.Outcome[] ownBest = new HttpLoad.Outcome[2];
            for (int round = 0; round < rounds; round++) {
                WrkOutcome[] w = new WrkOutcome[2];
                HttpLoad.Outcome[] h = new HttpLoad.Outcome[2];
                // ABBA within each client; the clients take turns going first
                boolean oursFirst = round % 2 == 1;
                for (int turn = 0; turn < 2; turn++) {
                    boolean wrkTurn = (turn == 0) == (round % 4 < 2);
                    for (int side = 0; side < 2; side++) {
                        boolean ours = (side == 0) == oursFirst;
                        int index = ours ? 1 : 0;
                        if (wrkTurn) {
                            w[index] = client.run(ours, "r" + round);
                        } else {
                            h[index] = AckLoad.run(ours, AckLoad.Callback.KLARNA_PUSH, connections, warmup, measure);
                        }
                    }
                }
                wrkRatios[round] = w[1].perSecond() / w[0].perSecond();
                ownRatios[round] = h[1].perSecond() / h[0].perSecond();
                for (int side = 0; side < 2; side++) {
                    wrkBest[side] = wrkBest[side] == null || w[side].perSecond() > wrkBest[side].perSecond()
                            ? w[side] : wrkBest[side];
                    ownBest[side] = SideBySide.best(ownBest[side], h[side]);
                }
                System.out.printf(Locale.ROOT, "round %d: wrk %.2f, HttpLoad %.2f%n", round + 1, wrkRatios[round],
                        ownRatios[round]);
            }
            double wrkRatio = Results.median(wrkRatios);
            double ownRatio = Results.median(ownRatios);
            String table = String.format(Locale.ROOT, """
                    | client | bare req/s (best round) | ours req/s (best round) | ratio ours/bare: median (each round) | bare p50 / p90 / p99 ms | ours p50 / p90 / p99 ms | non-2xx + errors (bare/ours) |
                    |---|---:|---:|---:|---|---|---|
                    | %s | %,.0f | %,.0f | **%.2f** (%s) | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %d/%d |
                    | `HttpLoad`, %d connections | %,.0f | %,.0f | **%.2f** (%s) | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %d/%d |
                    """, version + ", `-t" + wrkThreads + " -c" + connections + "`", wrkBest[0].perSecond(),
                    wrkBest[1].perSecond(), wrkRatio, SideBySide.list(wrkRatios), wrkBest[0].p50(), wrkBest[0].p90(),
                    wrkBest[0].p99(), wrkBest[1].p50(), wrkBest[1].p90(), wrkBest[1].p99(),
                    wrkBest[0].non2xx() + wrkBest[0].errors(), wrkBest[1].non2xx() + wrkBest[1].errors(), connections,
                    ownBest[0].perSecond(), ownBest[1].perSecond(), ownRatio, SideBySide.list(ownRatios), ownBest[0].p(0.5),
                    ownBest[0].p(0.9), ownBest[0].p(0.99), ownBest[1].p(0.5), ownBest[1].p(0.9), ownBest[1].p(0.99),
                    ownBest[0].non2xx() + ownBest[0].errors(), ownBest[1].non2xx() + ownBest[1].errors());
            Results.write("wrk", "1b. Benchmark 1's Klarna push row, with wrk as an independent client",
                    Results.command(WrkCheck.class), String.format(Locale.ROOT, """
                            The Klarna push at %d connections, as in benchmark 1 (the same servers: ours is
                            `CallbackServlet` over the in-memory shop, bare a servlet that answers 200, on identically
                            configured Jetty, fresh for each run), loaded by two clients: Debian's wrk, with the
                            module's script `wrk/klarna-push.lua` building each request for a new order id (its first
                            requests are checked byte for byte against `BenchShop`'s push before measuring), and the
                            module's own `HttpLoad`. Each run: %s s warm-up (wrk: a separate run on the same server,
                            %d s), not recorded, then %s s measured (wrk: %d s); first %s s of each side unmeasured
                            (JIT). %d rounds, bare and ours alternating (ABBA) within each client, the clients taking
                            turns going first; the ratio is the median of the rounds' ratios, rates and latencies are
                            from each side's best round. On ours every request counted left a pending action (checked).
                            Both clients and the server share the machine's cores: compare the ratios, not the rates
                            (wrk's event loop costs less CPU per request than `HttpLoad`'s thread per connection, which
                            leaves more for the server). Load average (shared machine): %s at the start, %s at the end.

                            """, connections, Results.seconds(warmup), client.warmupSeconds, Results.seconds(measure),
                            client.seconds, Results.seconds(jitWarmup), rounds, loadBefore, DurableLoad.loadAverage())
                            + table);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** wrk takes whole seconds; a fraction is rounded up (0 stays 0: no warm-up run). */
    private static int wholeSeconds(Duration duration) {
        return (int) ((duration.toMillis() + 999) / 1000);
    }

    /** wrk with the script, for runs against a fresh server. */
    private static final class Wrk {
        final Path executable;
        final Path script;
        final int threads;
        final int connections;
        final int warmupSeconds;
        final int seconds;

        Wrk(Path executable, Path script, int threads, int connections, int warmupSeconds, int seconds) {
            this.executable = executable;
            this.script = script;
            this.threads = threads;
            this.connections = connections;
            this.warmupSeconds = warmupSeconds;
            this.seconds = Math.max(1, seconds);
        }

        /**
         * One run as {@link AckLoad}'s: a fresh shop and server, a warm-up run and a measured run of
         * wrk; on ours, every request wrk counted must have left a pending action.
         */
        WrkOutcome run(boolean ours, String run) throws Exception {
            InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(0).build();
            try (BenchShop shop = new BenchShop(new InMemoryCallbackJournal(), scheduler, new InMemoryStateStore())) {
                Server server = Servers.start(ours ? shop.servlet() : new Servers.BareServlet());
                try {
                    int port = Servers.port(server);
                    long counted = warmupSeconds > 0 ? parse(wrk(port, threads, connections, warmupSeconds, run + "w"))
                            .requests() : 0;
                    WrkOutcome outcome = parse(wrk(port, threads, connections, seconds, run + "m"));
                    counted += outcome.requests();
                    if (ours && scheduler.pending().size() < counted) {
                        throw new IllegalStateException("fewer pushes scheduled (" + scheduler.pending().size()
                                + ") than wrk counted answered (" + counted + ")");
                    }
                    return outcome;
                } finally {
                    server.stop();
                    scheduler.close();
                }
            }
        }

        /**
         * Runs wrk for a second against a socket that records what it receives, and checks that
         * its requests are {@link BenchShop}'s Klarna push byte for byte, each with a new order id.
         * Returns wrk's version line.
         */
        String checkRequests() throws Exception {
            List<String> received = new ArrayList<>();
            try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Thread answering = new Thread(() -> answer(socket, received), "wrk-capture");
                answering.setDaemon(true);
                answering.start();
                wrk(socket.getLocalPort(), 1, 1, 1, "check");
            }
            List<String> requests;
            synchronized (received) {
                requests = List.copyOf(received);
            }
            if (requests.size() < 2) {
                throw new IllegalStateException("wrk sent " + requests.size() + " requests to the capturing socket");
            }
            List<String> ids = new ArrayList<>();
            try (BenchShop shop = new BenchShop(new InMemoryCallbackJournal(),
                    InMemoryDelayedActionScheduler.builder().threads(0).build(), new InMemoryStateStore())) {
                String template = new String(shop.klarnaPush(), StandardCharsets.ISO_8859_1); // order "bench-1"
                for (String request : requests.subList(0, 2)) {
                    Matcher id = ORDER_ID.matcher(request);
                    if (!id.find() || ids.contains(id.group(1))) {
                        throw new IllegalStateException("wrk's request has no new order id: " + request);
                    }
                    ids.add(id.group(1));
                    String expected = template.replace("bench-1", id.group(1));
                    if (!request.equals(expected)) {
                        throw new IllegalStateException("wrk's request differs from BenchShop's push:\n" + request
                                + "\nexpected:\n" + expected);
                    }
                }
            }
            Process version = new ProcessBuilder(executable.toString(), "-v").redirectErrorStream(true).start();
            String line = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("wrk");
            version.waitFor(10, TimeUnit.SECONDS);
            return line.replaceAll("\\s*\\[.*", "").replaceAll("\\s+Copyright.*", "").strip();
        }

        /** Answers 200 to every request on every connection, keeping the requests' bytes (no bodies: the push has none). */
        private static void answer(ServerSocket socket, List<String> received) {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    Thread reader = new Thread(() -> {
                        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
                                OutputStream out = connection.getOutputStream()) {
                            ByteArrayOutputStream request = new ByteArrayOutputStream();
                            int last4 = 0;
                            for (int b = in.read(); b >= 0; b = in.read()) {
                                request.write(b);
                                last4 = last4 << 8 | b;
                                if (last4 == 0x0d0a0d0a) { // the end of the head; the push has no body
                                    synchronized (received) {
                                        if (received.size() < 10) {
                                            received.add(request.toString(StandardCharsets.ISO_8859_1));
                                        }
                                    }
                                    request.reset();
                                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                                            .getBytes(StandardCharsets.ISO_8859_1));
                                    out.flush();
                                }
                            }
                        } catch (IOException e) {
                            // wrk closed the connection at its end
                        }
                    }, "wrk-capture-connection");
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (IOException e) {
                // the socket closed: the check is over
            }
        }

        /** Runs wrk for {@code seconds} against the servlet mount at {@code port}; returns its output. */
        private String wrk(int port, int threads, int connections, int seconds, String prefix) throws Exception {
            Process process = new ProcessBuilder(executable.toString(), "-t" + threads, "-c" + connections,
                    "-d" + seconds + "s", "--latency", "-s", script.toString(),
                    "http://127.0.0.1:" + port + Servers.MOUNT + "/", "--", prefix).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk failed: " + output);
            }
            return output;
        }
    }

    /** Reads wrk's report: requests, Requests/sec, the latency distribution, non-2xx and socket errors. */
    static WrkOutcome parse(String output) {
        Matcher requests = find(REQUESTS, output);
        Matcher rate = find(RATE, output);
        double[] percentiles = new double[100];
        Matcher percentile = PERCENTILE.matcher(output);
        int found = 0;
        while (percentile.find()) {
            percentiles[Integer.parseInt(percentile.group(1))] = millis(percentile.group(2), percentile.group(3));
            found++;
        }
        if (found != 4) {
            throw new IllegalStateException("no latency distribution (--latency) in wrk's output: " + output);
        }
        Matcher non2xx = NON_2XX.matcher(output);
        Matcher errors = SOCKET_ERRORS.matcher(output);
        long socketErrors = 0;
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        return new WrkOutcome(Long.parseLong(requests.group(1)), Double.parseDouble(rate.group(1)), percentiles[50],
                percentiles[90], percentiles[99], non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors);
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in wrk's output: " + output);
        }
        return matcher;
    }

    private static double millis(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1000;
            case "ms" -> number;
            case "s" -> number * 1000;
            case "m" -> number * 60_000;
            case "h" -> number * 3_600_000;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
