package org.callbackkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes one benchmark's section of {@code benchmarks/RESULTS.md} (or of the file named by the
 * system property {@code results}), replacing the section of the same name from an earlier run
 * and leaving the others alone. Every section starts with the date, the machine and the command.
 */
public final class Results {

    private Results() {
    }

    /** The results file: {@code -Dresults=...}, default {@code benchmarks/RESULTS.md} below the working directory. */
    public static Path file() {
        return Path.of(System.getProperty("results", "benchmarks/RESULTS.md"));
    }

    /** The machine as a benchmark reader needs it: cores, memory, JDK, OS, and the heap this run had. */
    public static String machine() {
        long totalMemory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Runtime.getRuntime().availableProcessors() + " cores (nproc), "
                + totalMemory / (1024 * 1024 * 1024) + " GiB RAM, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    /**
     * Replaces (or appends) section {@code name} of the results file with {@code body}, headed by
     * {@code title}, the date, the machine and {@code command}.
     */
    public static void write(String name, String title, String command, String body) {
        String begin = "<!-- begin " + name + " -->";
        String end = "<!-- end " + name + " -->";
        String section = begin + "\n## " + title + "\n\n"
                + "- Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n"
                + "- Machine: " + machine() + "\n"
                + "- Commit: " + commit() + "\n"
                + "- Command: `" + command + "`\n\n"
                + body.strip() + "\n" + end;
        Path file = file();
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                    : "# Callback Kit benchmark results\n\nEach section is written by its benchmark; see README.md for the commands.\n";
            int from = text.indexOf(begin);
            int to = text.indexOf(end);
            if (from >= 0 && to > from) {
                text = text.substring(0, from) + section + text.substring(to + end.length());
            } else {
                text = text.stripTrailing() + "\n\n" + section + "\n";
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        System.out.println(section);
    }

    /**
     * The commit of the working directory ({@code git rev-parse --short HEAD}), marked "with local
     * changes" when tracked files other than RESULTS.md differ from it; "unknown" without git.
     */
    static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD").strip();
            // the results file itself is what the benchmarks change: not a change to the code measured
            return head.isEmpty() ? "unknown" : head + (git("status", "--porcelain", "--untracked-files=no", "--", ".",
                    ":(exclude)*RESULTS.md").isBlank() ? "" : " with local changes");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String git(String... arguments) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git"));
        command.addAll(java.util.List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("git " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    /** An integer system property, or {@code fallback}. */
    static int intProperty(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
    }

    /**
     * The command that ran {@code main} in this JVM: {@code java}, this JVM's options as given
     * (heap, system properties), the jar and the class, to be pasted into a shell from the
     * repository root.
     */
    static String command(Class<?> main) {
        StringBuilder command = new StringBuilder("java");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            command.append(' ').append(argument);
        }
        return command.append(" -cp benchmarks/target/benchmarks.jar ").append(main.getName()).toString();
    }

    /** A duration in (possibly fractional) seconds from a system property, or {@code fallback} seconds. */
    static Duration secondsProperty(String name, double fallback) {
        return Duration.ofMillis(Math.round(Double.parseDouble(System.getProperty(name, Double.toString(fallback))) * 1000));
    }

    /** Seconds of {@code duration}, for a sentence: {@code 3} or {@code 0.5}. */
    static String seconds(Duration duration) {
        return java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** A comma-separated list of integers from a system property, or {@code fallback}. */
    static int[] intsProperty(String name, String fallback) {
        String[] parts = System.getProperty(name, fallback).split(",");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i].strip());
        }
        return values;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
