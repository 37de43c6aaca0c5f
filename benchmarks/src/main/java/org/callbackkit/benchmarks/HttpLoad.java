package org.callbackkit.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator every HTTP benchmark here uses, for our servlet and for the bare one alike:
 * N keep-alive HTTP/1.1 connections to 127.0.0.1, one platform thread and one socket each, a
 * request written whole and its response read whole before the next (no pipelining).
 *
 * <p>Why raw sockets: {@code java.net.http}'s HTTP/1.1 client does not let the caller fix the
 * number of connections, and a full client (Jetty's) adds its own queueing and threads to what is
 * measured; a blocking socket per connection is the simplest client whose cost is the same for
 * both sides and easy to reason about. Responses must carry {@code Content-Length} (both servlets
 * set it).
 *
 * <p>{@link #closedLoop}: each connection sends its next request when the previous answer has
 * arrived. {@link #openLoop}: requests are due at a fixed rate whatever the server does, and
 * latency is measured from the <em>intended</em> send time, so a stalled server is charged for
 * every request it delayed (no coordinated omission). Both exclude a warm-up and are bounded in
 * time and in count.
 */
final class HttpLoad {

    /** Makes the bytes of one request (request line, headers, body). */
    @FunctionalInterface
    interface Requests {
        byte[] request(int connection, long sequence);
    }

    /** What one run measured after the warm-up; {@code cpu}: this JVM's CPU in that window, by kind of thread. */
    record Outcome(long requests, long non2xx, long errors, double seconds, long[] sortedNanos, ThreadCpu.Split cpu) {
        double perSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }

        double p(double quantile) {
            return Latencies.millis(sortedNanos, quantile);
        }
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private HttpLoad() {
    }

    /** Closed loop over {@code connections} connections; at most {@code maxPerConnection} requests each. */
    static Outcome closedLoop(int port, int connections, Duration warmup, Duration measure, long maxPerConnection,
            Requests requests) {
        long start = System.nanoTime() + 50_000_000L; // let every thread connect first
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        return run(connections, measureFrom, (connection, client, latencies, counts) -> {
            LockSupport.parkNanos(start - System.nanoTime());
            for (long sequence = 0; sequence < maxPerConnection; sequence++) {
                long sent = System.nanoTime();
                if (sent >= end) {
                    return;
                }
                int status = client.exchange(requests.request(connection, sequence), counts);
                long done = System.nanoTime();
                if (sent >= measureFrom) {
                    counts.record(status, done);
                    latencies.add(done - sent);
                }
            }
        }, port);
    }

    /**
     * Open loop at {@code perSecond} requests/s over {@code connections} connections: request i is
     * due at start + i / rate and is sent by the first free connection; latency counts from when it
     * was due. Stops sending at the end of the schedule or, for a server that falls behind, at
     * twice its length.
     */
    static Outcome openLoop(int port, int connections, int perSecond, Duration warmup, Duration measure,
            Requests requests) {
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + warmup.toNanos();
        long total = (warmup.toNanos() + measure.toNanos()) * perSecond / 1_000_000_000L;
        long giveUp = start + 2 * (warmup.toNanos() + measure.toNanos());
        double interval = 1e9 / perSecond;
        AtomicLong next = new AtomicLong();
        return run(connections, measureFrom, (connection, client, latencies, counts) -> {
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long due = start + (long) (i * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() >= giveUp) {
                    return;
                }
                int status = client.exchange(requests.request(connection, i), counts);
                long done = System.nanoTime();
                if (due >= measureFrom) {
                    counts.record(status, done);
                    latencies.add(done - due);
                }
            }
        }, port);
    }

    private interface Loop {
        void run(int connection, Client client, Latencies latencies, Counts counts) throws IOException;
    }

    /**
     * Runs {@code loop} on each connection's thread. The CPU split is of the window from
     * {@code measureFrom} until the last loop ended, which holds every request counted; a thread
     * whose loop ended waits for that split before it ends, as a thread gone by then would be
     * missing from it.
     */
    private static Outcome run(int connections, long measureFrom, Loop loop, int port) {
        List<Latencies> latencies = new ArrayList<>();
        List<Counts> counts = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(connections);
        CountDownLatch cpuRead = new CountDownLatch(1);
        ThreadCpu.Split cpu;
        try {
            for (int c = 0; c < connections; c++) {
                int connection = c;
                Latencies mine = new Latencies();
                Counts myCounts = new Counts();
                latencies.add(mine);
                counts.add(myCounts);
                Thread thread = new Thread(() -> {
                    try (Client client = new Client(port)) {
                        loop.run(connection, client, mine, myCounts);
                    } catch (IOException e) {
                        myCounts.errors++;
                        myCounts.lastError = e;
                    } finally {
                        finished.countDown();
                        try {
                            cpuRead.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }, "load-" + c);
                thread.setDaemon(true);
                thread.start();
            }
            sleepUntil(measureFrom);
            ThreadCpu.Snapshot cpuFrom = ThreadCpu.now();
            finished.await();
            cpu = ThreadCpu.between(cpuFrom, ThreadCpu.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the load ran", e);
        } finally {
            cpuRead.countDown();
        }
        long requests = 0;
        long non2xx = 0;
        long errors = 0;
        long lastDone = measureFrom;
        for (Counts count : counts) {
            requests += count.requests;
            non2xx += count.non2xx;
            errors += count.errors;
            lastDone = Math.max(lastDone, count.lastDone);
            if (count.lastError != null && errors == count.errors) {
                System.err.println("load client error: " + count.lastError);
            }
        }
        return new Outcome(requests, non2xx, errors, (lastDone - measureFrom) / 1e9, Latencies.sorted(latencies), cpu);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait; (wait = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** Per-connection counters, read once the thread's loop has ended. */
    private static final class Counts {
        long requests;
        long non2xx;
        long errors;
        long lastDone;
        IOException lastError;

        void record(int status, long done) {
            requests++;
            if (status < 200 || status > 299) {
                non2xx++;
            }
            lastDone = done;
        }
    }

    /** One keep-alive connection; reconnects when the server closes it. */
    private static final class Client implements AutoCloseable {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Client(int port) throws IOException {
            this.port = port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket(LOOPBACK, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        /** Sends one request and reads its response; returns the status, or -1 after a failure (then reconnects). */
        int exchange(byte[] request, Counts counts) throws IOException {
            try {
                out.write(request);
                out.flush();
                String statusLine = line();
                int status = Integer.parseInt(statusLine.substring(9, 12));
                long length = -1;
                boolean close = false;
                for (String header = line(); !header.isEmpty(); header = line()) {
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).strip());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                if (length < 0) {
                    throw new IOException("response without Content-Length: " + statusLine);
                }
                for (long skipped = 0; skipped < length; skipped++) {
                    if (in.read() < 0) {
                        throw new EOFException("body ended early");
                    }
                }
                if (close) {
                    reconnect();
                }
                return status;
            } catch (IOException | RuntimeException e) {
                counts.errors++;
                counts.lastError = e instanceof IOException io ? io : new IOException(e);
                reconnect();
                return -1;
            }
        }

        private void reconnect() throws IOException {
            close();
            connect();
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a loopback socket: nothing to do about it
            }
        }
    }

    /** The bytes of {@code method target} on HTTP/1.1 to 127.0.0.1 with {@code headers} (CRLF-joined) and {@code body}. */
    static byte[] request(String method, String target, String headers, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
