package org.callbackkit.doctor;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.callbackkit.test.DebianPackages;

/**
 * Debian's nginx as a reverse proxy in front of a shop on loopback, with a request limit
 * ({@code limit_req}, no delay) on the callback paths, as hosts set one against floods: its own
 * configuration, pid and logs in a temporary directory, on an unprivileged port of 127.0.0.1.
 * Started by the test, stopped by {@link #close()}. Needs the package nginx (see {@link DebianPackages}).
 */
final class NginxLimitReq implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path dir;
    private final int port;

    private NginxLimitReq(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * nginx in front of 127.0.0.1:{@code backendPort}, letting {@code perMinute} requests a minute
     * through from one address, after a first {@code burst} at once, then answering its own 503.
     */
    static NginxLimitReq start(int backendPort, int perMinute, int burst) throws IOException, InterruptedException {
        DebianPackages.ensureInstalled("The proxy rate-limit test", List.of(NGINX), List.of("nginx"));
        Path dir = Files.createTempDirectory("nginx-limit-req");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = String.join("\n",
                root ? "user root;" : "",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  limit_req_zone $binary_remote_addr zone=callbacks:1m rate=" + perMinute + "r/m;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    server_name shop.test;",
                "    location /callbacks/ {",
                "      limit_req zone=callbacks burst=" + burst + " nodelay;",
                "      proxy_set_header Host $host;",
                "      proxy_pass http://127.0.0.1:" + backendPort + ";",
                "    }",
                "  }",
                "}",
                "");
        Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
        NginxLimitReq nginx = new NginxLimitReq(dir, port);
        nginx.nginx();
        return nginx;
    }

    int port() {
        return port;
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    private void nginx(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(NGINX.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-p", dir.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Stops nginx, waits for its master process to end, and removes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("nginx.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        nginx("-s", "stop");
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
