package org.callbackkit.test;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real software a test needs from Debian's packages (a browser, a web server with ModSecurity, a
 * proxy): present, or installed by the test itself when the build runs as root with apt-get (a
 * fresh CI machine), or a failure that says what to install. Never a skip: a test that needs the
 * real thing and cannot have it fails.
 */
public final class DebianPackages {

    private DebianPackages() {
    }

    /**
     * Makes sure every path of {@code present} exists, installing {@code packages} with apt-get
     * when one is missing and the build runs as root.
     *
     * @param what what needs them, for the messages, e.g. {@code "The real-firewall test"}
     * @throws AssertionError (a test failure) if they cannot be had, with the command to run
     * @throws InterruptedException if interrupted while apt-get runs
     */
    public static void ensureInstalled(String what, List<Path> present, List<String> packages)
            throws IOException, InterruptedException {
        if (present.stream().allMatch(Files::exists)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            System.out.println(what + ": installing Debian's " + String.join(", ", packages) + " with apt-get");
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
            install.addAll(packages);
            for (List<String> command : List.of(List.of("apt-get", "update", "-qq"), install)) {
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process process = builder.start();
                if (process.waitFor() != 0) {
                    fail(String.join(" ", command) + " failed with exit code " + process.exitValue());
                }
            }
        }
        if (!present.stream().allMatch(Files::exists)) {
            fail(what + " needs Debian's " + String.join(", ", packages) + ": run `sudo apt-get install -y "
                    + String.join(" ", packages) + "` (.ci/run does it).");
        }
    }
}
