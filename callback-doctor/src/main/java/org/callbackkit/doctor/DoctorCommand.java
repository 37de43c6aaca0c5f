package org.callbackkit.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callbackkit.core.diagnose.Whitelist;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code callback-doctor} command line.
 *
 * <pre>
 * callback-doctor check https://shop.example.com --provider klarna,blockonomics [--json] [--allow-private]
 * callback-doctor check https://shop.example.com --all
 * callback-doctor whitelist https://shop.example.com --all
 * </pre>
 *
 * {@code check} exits 0 when every check passed, 1 when one failed, 2 for a usage error (one line
 * saying what is wrong and a hint to {@code --help}, on stderr). {@code --version} prints the version.
 * Run it with {@code java -jar callback-doctor-<version>-all.jar}.
 */
@Command(name = "callback-doctor", mixinStandardHelpOptions = true, versionProvider = DoctorCommand.Version.class,
        description = "Diagnoses a shop's payment-provider callbacks the way the providers meet them, and says what "
                + "to fix in plain words.")
public final class DoctorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private DoctorCommand() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /**
     * Runs the command line with the system resolver, trust store and clock, writing the report to
     * {@code out} and progress and errors to {@code err}; for embedding (the demo runs it so).
     *
     * @return the exit code: 0 passed, 1 failed, 2 usage error
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return execute(Settings.system(System.console() != null && out == System.out), out, err, args);
    }

    static int execute(Settings settings, PrintStream out, PrintStream err, String... args) {
        CommandLine line = new CommandLine(new DoctorCommand())
                .addSubcommand(new CheckCommand(settings, out, err))
                .addSubcommand(new WhitelistCommand(settings, out));
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler((error, arguments) -> usageError(error.getCommandLine(), error.getMessage()));
        return line.execute(args);
    }

    /** A usage error: one line saying what is wrong, one saying where help is; exit code 2. */
    private static int usageError(CommandLine command, String message) {
        PrintWriter err = command.getErr();
        err.println("callback-doctor: " + message);
        err.println("try '" + command.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return 2;
    }

    @Override
    public Integer call() {
        return usageError(spec.commandLine(), "name a command: check or whitelist");
    }

    /** The version of the build, from {@code version.properties} (filled in by Maven). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = DoctorCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"callback-doctor " + properties.getProperty("version", "(unknown version)")
                    + " (Callback Kit)"};
        }
    }

    /**
     * What the commands take from outside the command line; tests give their own.
     *
     * @param catalogue the providers known
     * @param resolver how host names resolve
     * @param trustStore the trusted authorities, or null for the JDK's
     * @param pause how a burst waits
     * @param clock the clock
     * @param terminal whether output goes to a terminal (colours, a progress line that rewrites itself)
     */
    record Settings(ProviderCatalogue catalogue, HostResolver resolver, KeyStore trustStore, CallbackDoctor.Pause pause,
            Clock clock, boolean terminal) {
        static Settings system(boolean terminal) {
            return new Settings(ProviderCatalogue.standard(), HostResolver.system(), null,
                    duration -> Thread.sleep(duration.toMillis()), Clock.systemUTC(), terminal);
        }
    }

    /** The shop and providers, shared by the subcommands. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "URL",
                description = "The shop's public URL, e.g. https://shop.example.com; a URL with a path is taken as "
                        + "where the callback servlet is mounted.")
        String url;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        @Option(names = "--mount", paramLabel = "PATH", defaultValue = CallbackDoctor.DEFAULT_MOUNT,
                description = "Where the callback servlet is mounted when URL has no path (default: ${DEFAULT-VALUE}).")
        String mount;

        @Option(names = "--json", description = "Write JSON for machines instead of the text report.")
        boolean json;

        static final class Selection {
            @Option(names = {"-p", "--provider"}, split = ",", paramLabel = "NAME",
                    description = "Providers to check, comma separated: ${COMPLETION-CANDIDATES}.",
                    completionCandidates = Names.class)
            List<String> providers;

            @Option(names = "--all", description = "Check every provider the doctor knows.")
            boolean all;
        }

        /**
         * A doctor for these providers and mount, configured further by {@code more}, checked
         * against the URL; a bad value becomes a usage error.
         */
        CallbackDoctor doctor(CommandSpec spec, ProviderCatalogue catalogue, Consumer<CallbackDoctor.Builder> more) {
            try {
                CallbackDoctor.Builder builder = CallbackDoctor.builder()
                        .providers(selection.all ? catalogue.all() : catalogue.select(selection.providers))
                        .mountPath(mount);
                more.accept(builder);
                CallbackDoctor doctor = builder.build();
                doctor.mountUrl(url);
                return doctor;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    /** The provider names for the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ProviderCatalogue.standard().names().iterator();
        }
    }

    /** {@code check}: every check against a shop, and the report. */
    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = DoctorCommand.Version.class,
            description = "Checks the callback URLs, DNS and TLS, probes each callback as its provider would, sends a "
                    + "burst like a provider retrying, and reports. Exit code 0 when all pass, 1 otherwise.")
    static final class CheckCommand implements Callable<Integer> {
        private final Settings settings;
        private final PrintStream out;
        private final PrintStream err;

        @Spec
        private CommandSpec spec;

        @Mixin
        private Target target = new Target();

        @Option(names = "--allow-private", description = "Probe private and loopback addresses (local testing); "
                + "refused by default.")
        private boolean allowPrivate;

        @Option(names = "--allow-http", description = "Report plain http as a warning where a provider requires "
                + "https (a playground, local testing).")
        private boolean allowHttp;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
                description = "Connect and answer timeout of each request (default: ${DEFAULT-VALUE}).")
        private Duration timeout;

        @Option(names = "--burst", paramLabel = "N", defaultValue = "5",
                description = "Requests in the burst per provider, 0 for none (default: ${DEFAULT-VALUE}).")
        private int burst;

        @Option(names = "--burst-interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
                description = "Time between the burst's requests (default: ${DEFAULT-VALUE}).")
        private Duration burstInterval;

        @Option(names = "--no-color", description = "No colours, even on a terminal.")
        private boolean noColor;

        @Option(names = "--ca-cert", paramLabel = "FILE", description = "Trust this CA certificate (PEM or DER) besides "
                + "the JDK's authorities, e.g. a test CA, to check the rest of a set-up; providers never trust it. "
                + "Repeatable.")
        private List<Path> caCerts = new ArrayList<>();

        @Option(names = "--trust-store", paramLabel = "FILE", description = "Trust the authorities of this key store "
                + "(PKCS12 or JKS) instead of the JDK's.")
        private Path trustStore;

        @Option(names = "--trust-store-password", paramLabel = "PASSWORD", defaultValue = "changeit",
                description = "The trust store's password (default: ${DEFAULT-VALUE}).")
        private String trustStorePassword;

        @Option(names = "--resolve", paramLabel = "ADDRESS",
                description = "Connect to this IP address instead of resolving the URL's host, and still send the "
                        + "host name (in Host and TLS SNI), as curl --resolve does: to probe one server, or a shop "
                        + "before its DNS points at it. A probe to an IP URL sends a numeric Host, which firewalls "
                        + "score as an attack; a provider never does.")
        private String resolve;

        @Option(names = "--server-log", paramLabel = "FILE",
                description = "The web server's error log (Apache's or nginx's error.log), when the doctor runs where it "
                        + "can read it: the lines written during the probes name the ModSecurity rules that refused "
                        + "them, and the report adds an exclusion of just those rules.")
        private Path serverLog;

        CheckCommand(Settings settings, PrintStream out, PrintStream err) {
            this.settings = settings;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            CallbackDoctor doctor = target.doctor(spec, settings.catalogue(), builder -> {
                builder.allowPrivate(allowPrivate)
                        .allowHttp(allowHttp)
                        .timeout(timeout)
                        .burst(burst, burstInterval)
                        .resolver(resolver())
                        .clock(settings.clock())
                        .pause(settings.pause())
                        .progress(this::progress);
                if (serverLog != null) {
                    builder.serverLog(serverLog);
                }
                KeyStore trusted = trusted();
                if (trusted != null) {
                    builder.trustStore(trusted);
                }
            });
            DoctorReport report = doctor.check(target.url);
            if (settings.terminal()) {
                err.print("\r\u001b[K");
                err.flush();
            }
            out.print(target.json ? report.toJson() + "\n" : report.toText(settings.terminal() && !noColor));
            out.flush();
            return report.passed() ? 0 : 1;
        }

        /**
         * The authorities to trust: the trust store given, else the JDK's plus each {@code --ca-cert},
         * else the settings' (tests), else null for the JDK's own.
         *
         * @throws CommandLine.ParameterException if a file cannot be read as what it should be
         */
        private KeyStore trusted() {
            if (trustStore == null && caCerts.isEmpty()) {
                return settings.trustStore();
            }
            try {
                KeyStore store;
                if (trustStore != null) {
                    store = KeyStore.getInstance(trustStore.toFile(), trustStorePassword.toCharArray());
                } else {
                    store = KeyStore.getInstance(KeyStore.getDefaultType());
                    try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib",
                            "security", "cacerts"))) {
                        store.load(in, null);
                    }
                }
                for (Path file : caCerts) {
                    List<X509Certificate> certificates = TlsInspector.certificates(Files.readAllBytes(file));
                    if (certificates.isEmpty()) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--ca-cert " + file
                                + " holds no certificate (PEM or DER)");
                    }
                    for (X509Certificate certificate : certificates) {
                        store.setCertificateEntry("ca-cert-" + file.getFileName() + "-" + store.size(), certificate);
                    }
                }
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the trusted authorities: "
                        + e.getMessage());
            }
        }

        /** The settings' resolver, or the {@code --resolve} address for every name. */
        private HostResolver resolver() {
            if (resolve == null) {
                return settings.resolver();
            }
            String literal = resolve.strip().replaceAll("^\\[|]$", "");
            if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resolve takes an IP address: " + resolve);
            }
            try {
                InetAddress address = InetAddress.getByName(literal); // a literal: no lookup
                return host -> List.of(address);
            } catch (UnknownHostException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--resolve takes an IP address: " + resolve);
            }
        }

        private void progress(String line) {
            if (settings.terminal()) {
                err.print("\r\u001b[K" + line);
            } else {
                err.println("... " + line);
            }
            err.flush();
        }
    }

    /** {@code whitelist}: the paths and firewall rules a shop needs, without any traffic. */
    @Command(name = "whitelist", mixinStandardHelpOptions = true, versionProvider = DoctorCommand.Version.class,
            description = "Prints the callback paths to allow, the providers' source addresses, and ready-to-paste "
                    + "Cloudflare, ModSecurity, nginx and Apache rules. Sends nothing.")
    static final class WhitelistCommand implements Callable<Integer> {
        private final Settings settings;
        private final PrintStream out;

        @Spec
        private CommandSpec spec;

        @Mixin
        private Target target = new Target();

        WhitelistCommand(Settings settings, PrintStream out) {
            this.settings = settings;
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            Whitelist whitelist = target.doctor(spec, settings.catalogue(), builder -> { }).urls(target.url).whitelist();
            out.println(target.json
                    ? new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(DoctorReport.whitelist(whitelist))
                    : whitelist.toText());
            return 0;
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601 such as {@code PT2S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Matcher matcher = SHORT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    default -> Duration.ofMinutes(amount);
                };
            }
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 2s or 1m");
            }
        }
    }
}
