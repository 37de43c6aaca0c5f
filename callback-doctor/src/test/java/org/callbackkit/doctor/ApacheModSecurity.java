package org.callbackkit.doctor;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.callbackkit.test.DebianPackages;

/**
 * Debian's Apache 2.4 with ModSecurity 2 and the OWASP Core Rule Set at a given paranoia level, as a
 * reverse proxy in front of a shop on loopback: its own configuration, pid and logs in a temporary
 * directory, listening on an unprivileged port of 127.0.0.1. Started by the test, stopped by
 * {@link #close()}.
 *
 * <p>Needs the packages apache2, libapache2-mod-security2 and modsecurity-crs: {@code .ci/run}
 * installs them; on a Debian machine where they are missing and the build runs as root, this class
 * installs them with apt-get; anywhere else the test fails with the command to run. Never a skip.
 */
final class ApacheModSecurity implements AutoCloseable {

    static final Path APACHE = Path.of("/usr/sbin/apache2");
    static final Path MOD_SECURITY = Path.of("/usr/lib/apache2/modules/mod_security2.so");
    static final Path CRS_RULES = Path.of("/usr/share/modsecurity-crs/rules");
    private static final List<String> PACKAGES = List.of("apache2", "libapache2-mod-security2", "modsecurity-crs");
    private static final String MODULES = "/etc/apache2/mods-available/";

    private final Path dir;
    private final int port;
    private final int backendPort;
    private final int paranoiaLevel;
    private String exclusions = "";

    private ApacheModSecurity(Path dir, int port, int backendPort, int paranoiaLevel) {
        this.dir = dir;
        this.port = port;
        this.backendPort = backendPort;
        this.paranoiaLevel = paranoiaLevel;
    }

    /** Apache in front of the server on 127.0.0.1:{@code backendPort}, CRS at {@code paranoiaLevel} (1 to 4), started. */
    static ApacheModSecurity start(int backendPort, int paranoiaLevel) throws IOException, InterruptedException {
        ensureInstalled();
        Path dir = Files.createTempDirectory("apache-modsecurity");
        // the workers run as www-data when the build runs as root: they need the directory and a writable tmp
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ApacheModSecurity apache = new ApacheModSecurity(dir, port, backendPort, paranoiaLevel);
        apache.writeConfiguration();
        apache.apache("-k", "start");
        return apache;
    }

    int port() {
        return port;
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    /**
     * Adds {@code snippet} (the doctor's Apache exclusion) to the configuration, checks it with
     * {@code apache2 -t}, and reloads gracefully; returns once the new configuration serves.
     */
    void addAndReload(String snippet) throws IOException, InterruptedException {
        exclusions += snippet + "\n";
        writeConfiguration();
        apache("-t");
        long reloadsBefore = reloads();
        apache("-k", "graceful");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (reloads() <= reloadsBefore) { // Apache logs AH00489 once the reloaded configuration serves
            if (System.nanoTime() > deadline) {
                fail("Apache did not reload within 20 s; its error log:\n" + Files.readString(errorLog()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private long reloads() throws IOException {
        return Files.readAllLines(errorLog(), StandardCharsets.UTF_8).stream().filter(l -> l.contains("AH00489")).count();
    }

    private void writeConfiguration() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = String.join("\n",
                "ServerRoot " + dir,
                "DefaultRuntimeDir " + dir,
                "PidFile " + dir.resolve("apache.pid"),
                "ErrorLog " + errorLog(),
                "LogLevel warn",
                "Listen 127.0.0.1:" + port,
                "ServerName shop.test",
                root ? "User www-data\nGroup www-data" : "",
                "Include " + MODULES + "mpm_event.load",
                "Include " + MODULES + "authz_core.load",
                "Include " + MODULES + "proxy.load",
                "Include " + MODULES + "proxy_http.load",
                "Include " + MODULES + "unique_id.load",
                "Include " + MODULES + "security2.load",
                // small: one process, a few threads
                "StartServers 1", "ServerLimit 1", "ThreadsPerChild 4", "MaxRequestWorkers 4",
                "ThreadLimit 4", "MinSpareThreads 1", "MaxSpareThreads 4",
                // modsecurity.conf-recommended, the parts that decide what is blocked
                "SecRuleEngine On",
                "SecRequestBodyAccess On",
                "SecRule REQUEST_HEADERS:Content-Type \"^(?:application(?:/soap\\+|/)|text/)xml\" "
                        + "\"id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"",
                "SecRule REQUEST_HEADERS:Content-Type \"^application/json\" "
                        + "\"id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"",
                "SecRequestBodyLimit 13107200",
                "SecRequestBodyNoFilesLimit 131072",
                "SecRequestBodyLimitAction Reject",
                "SecPcreMatchLimit 100000",
                "SecPcreMatchLimitRecursion 100000",
                "SecResponseBodyAccess Off",
                "SecTmpDir " + dir.resolve("tmp"),
                "SecDataDir " + dir.resolve("tmp"),
                "SecAuditEngine RelevantOnly",
                "SecAuditLogRelevantStatus \"^(?:5|4(?!04))\"",
                "SecAuditLogParts ABIJDEFHZ",
                "SecAuditLogType Serial",
                "SecAuditLog " + dir.resolve("modsec_audit.log"),
                // the Core Rule Set as Debian installs it, at the paranoia level asked for
                "Include /etc/modsecurity/crs/crs-setup.conf",
                "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=" + paranoiaLevel + "\"",
                "Include " + CRS_RULES + "/*.conf",
                "ProxyPreserveHost On",
                "ProxyPass / http://127.0.0.1:" + backendPort + "/",
                "ProxyPassReverse / http://127.0.0.1:" + backendPort + "/",
                exclusions,
                "");
        Files.writeString(dir.resolve("apache.conf"), conf, StandardCharsets.UTF_8);
    }

    private void apache(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(APACHE.toString(), "-f", dir.resolve("apache.conf").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            String log = Files.exists(errorLog()) ? Files.readString(errorLog()) : "(no error log)";
            fail(String.join(" ", command) + " failed: " + output + "\nerror log:\n" + log);
        }
    }

    /** Stops Apache, waits for its main process to end, and removes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("apache.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        apache("-k", "stop");
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** The packages present, or installed (see {@link DebianPackages}). Never a skip. */
    static void ensureInstalled() throws IOException, InterruptedException {
        DebianPackages.ensureInstalled("The real-firewall test", List.of(APACHE, MOD_SECURITY, CRS_RULES), PACKAGES);
    }
}
