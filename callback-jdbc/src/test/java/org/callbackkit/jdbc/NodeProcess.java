package org.callbackkit.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CallbackNode} in a JVM of its own, started with the test's classpath: killed with
 * SIGKILL ({@link #kill()}) or stopped cleanly ({@link #stop()}). Its log goes to a file under
 * {@code target/}.
 */
final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI baseUri;

    private NodeProcess(Process process, int port) {
        this.process = process;
        this.baseUri = URI.create("http://127.0.0.1:" + port + "/");
    }

    /**
     * Starts a node with {@code args} and waits until it takes callbacks.
     *
     * @throws IllegalStateException with its log if it exits or does not get ready in time
     */
    static NodeProcess start(Path log, String... args) throws IOException, InterruptedException {
        return start(CallbackNode.class, log, args);
    }

    /**
     * Starts {@code main} (a node that prints {@code READY <port>} and serves {@code GET /health}
     * as {@link CallbackNode} does) with {@code args}, and waits until it takes callbacks.
     *
     * @throws IllegalStateException with its log if it exits or does not get ready in time
     */
    static NodeProcess start(Class<?> main, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        return line.substring("READY ".length());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String port;
        try {
            port = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            port = null;
        }
        if (port == null) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("node did not get ready: " + String.join(" ", args) + "\n"
                    + Files.readString(log));
        }
        return new NodeProcess(process, Integer.parseInt(port));
    }

    URI baseUri() {
        return baseUri;
    }

    /** SIGKILL: no shutdown hook, no clean close, mid-whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Closes its stdin: the node stops its server and store cleanly and exits. */
    void stop() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node did not stop within 30 s");
        }
    }

    /**
     * The node's {@code pending running dead} counts, polled until nothing is pending or running,
     * for at most {@code timeout}; returns the last counts read.
     */
    int[] awaitIdle(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("health")).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String[] counts = http.send(request, HttpResponse.BodyHandlers.ofString()).body().split(" ");
            int[] health = {Integer.parseInt(counts[0]), Integer.parseInt(counts[1]), Integer.parseInt(counts[2])};
            if ((health[0] == 0 && health[1] == 0) || System.nanoTime() - deadline > 0) {
                return health;
            }
            Thread.sleep(100); // polling another process for its progress, not waiting for scheduler time
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
