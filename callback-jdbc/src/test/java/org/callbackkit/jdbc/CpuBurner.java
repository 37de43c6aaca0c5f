package org.callbackkit.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A competing process for the crash test's full size: one busy thread per core, in a JVM of its
 * own, until its stdin closes (or at the latest after an hour). Started by {@link #start()}, ended
 * by {@link #close()}.
 */
final class CpuBurner implements AutoCloseable {

    private final Process process;

    private CpuBurner(Process process) {
        this.process = process;
    }

    /** A JVM keeping every core busy. */
    static CpuBurner start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), CpuBurner.class.getName()));
        return new CpuBurner(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    public static void main(String[] args) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread burner = new Thread(() -> {
                long spin = 0;
                while (System.nanoTime() - deadline < 0) {
                    spin += System.nanoTime() % 7;
                }
                System.out.println(spin);
            }, "burner-" + i);
            burner.setDaemon(true);
            burner.start();
        }
        try (InputStream stdin = System.in) {
            while (stdin.read() >= 0) {
                // runs until the test closes stdin
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
