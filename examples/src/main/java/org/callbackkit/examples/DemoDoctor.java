package org.callbackkit.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.callbackkit.doctor.DoctorCommand;

/**
 * Runs the callback doctor against the demo shop, as a shop owner would against theirs, once
 * with nothing in front of the callbacks and once behind each {@link SimulatedFirewall}, and prints
 * each report: the lines, the diagnoses, and (once, at the end) the whitelist.
 */
final class DemoDoctor {

    /** What each run must show for the demo to pass. */
    private record Run(SimulatedFirewall.Mode mode, int exitCode, List<String> mustShow) {
    }

    private static final List<Run> RUNS = List.of(
            new Run(SimulatedFirewall.Mode.NONE, 0, List.of("[ ok ] probe  klarna/push", "[ ok ] burst  blockonomics")),
            new Run(SimulatedFirewall.Mode.MODSECURITY, 1, List.of("-> 403: BLOCKED_BY_FIREWALL (Comodo WAF)",
                    "ruleId=211180", "Disable Comodo WAF rule 211180", "[ ok ] probe  blockonomics/payment")),
            new Run(SimulatedFirewall.Mode.WORDFENCE, 1, List.of("[ ok ] probe  klarna/push", "[FAIL] burst  klarna",
                    "503: RATE_LIMITED (Wordfence)", "Exceeded the maximum number of requests per minute")),
            new Run(SimulatedFirewall.Mode.CLOUDFLARE, 1, List.of("-> 403: BLOCKED_BY_FIREWALL (Cloudflare)",
                    "rayId=" + SimulatedFirewall.RAY_ID, "Security > Events, search for Ray ID")),
            new Run(SimulatedFirewall.Mode.CATCH_ALL, 1, List.of("-> 200: SUSPECT_SUCCESS",
                    "[suspect.html]")));

    private DemoDoctor() {
    }

    /** Every run, printed to {@code out}; true if each exited and showed as expected. Leaves the firewall off. */
    static boolean run(DemoShop shop, PrintStream out) {
        boolean passed = true;
        String url = shop.baseUri().toString();
        try {
            for (Run run : RUNS) {
                shop.firewall(run.mode());
                out.println();
                out.println("== callback-doctor check " + url + " --provider klarna,blockonomics --allow-private"
                        + " --allow-http  (in front of the shop: " + run.mode().description() + ")");
                ByteArrayOutputStream report = new ByteArrayOutputStream();
                int exit = DoctorCommand.execute(new PrintStream(report, true, StandardCharsets.UTF_8),
                        new PrintStream(OutputStream.nullOutputStream()),
                        "check", url, "--provider", "klarna,blockonomics", "--allow-private", "--allow-http",
                        "--burst", "3", "--burst-interval", "100ms", "--timeout", "5s", "--no-color");
                String text = report.toString(StandardCharsets.UTF_8);
                int whitelist = text.indexOf("\nWhitelist\n");
                out.print(whitelist < 0 ? text : text.substring(0, whitelist + 1)
                        + "(whitelist: printed once, at the end)\n" + text.substring(text.lastIndexOf("\n\n") + 1));
                List<String> missing = run.mustShow().stream().filter(s -> !text.contains(s)).toList();
                boolean ok = exit == run.exitCode() && missing.isEmpty();
                passed &= ok;
                out.println((ok ? "[ok]   " : "[FAIL] ") + "doctor behind " + run.mode().description() + ": exit " + exit
                        + (missing.isEmpty() ? "" : ", missing " + missing));
            }
        } finally {
            shop.firewall(SimulatedFirewall.Mode.NONE);
        }
        out.println();
        out.println("== callback-doctor whitelist " + url + " --provider klarna,blockonomics");
        DoctorCommand.execute(out, new PrintStream(OutputStream.nullOutputStream()), "whitelist", url, "--provider",
                "klarna,blockonomics");
        return passed;
    }
}
