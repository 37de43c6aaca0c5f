package org.callbackkit.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.callbackkit.core.diagnose.CallbackUrls;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.diagnose.Fingerprints;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.diagnose.TransportFailure;
import org.callbackkit.core.diagnose.UrlCheck;
import org.callbackkit.core.diagnose.Verdict;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.journal.JournalEntry;

/**
 * Walks the support articles' checklist against a shop, the way the providers would meet it:
 * <ol>
 *   <li>the URL rules of {@link CallbackUrls} (https, public host, no language prefix, ...);</li>
 *   <li>DNS, refusing private and loopback targets unless allowed;</li>
 *   <li>TLS, the chain validated as a provider's client does (no fetching of missing
 *       intermediates), a failure explained as self-signed, expired, wrong host, missing
 *       intermediate or untrusted root;</li>
 *   <li>for each callback kind, probes that are the provider's real requests (the provider
 *       module's samples: method, query, headers, a realistic body; the shop's name in
 *       {@code Host}, no {@code Referer} or cookies) and carry the router's probe header, so the
 *       shop answers them without touching any order; a firewall rule that would refuse the
 *       real callback refuses the probe;</li>
 *   <li>after a pause, a burst of requests like a provider retrying, to catch rate limits and
 *       DDoS protection, reported on its own with the limit it hit.</li>
 * </ol>
 * Every exchange that fails is diagnosed by the expert {@link StatusClassifier}. The doctor never
 * follows a redirect and bounds the time and bytes of each exchange.
 *
 * <pre>{@code
 * DoctorReport report = CallbackDoctor.builder()
 *         .providers(ProviderCatalogue.standard().select(List.of("klarna", "blockonomics")))
 *         .build()
 *         .check("https://shop.example.com");
 * System.out.println(report.toText(false));
 * }</pre>
 *
 * Thread-safe; each {@link #check} is independent.
 */
public final class CallbackDoctor {

    /** Where the callback servlet is mounted unless the URL names a path: {@value}. */
    public static final String DEFAULT_MOUNT = "/callbacks";

    private final List<ProviderProfile> providers;
    private final String mountPath;
    private final boolean allowPrivate;
    private final boolean allowHttp;
    private final Duration timeout;
    private final int burstCount;
    private final Duration burstInterval;
    private final HostResolver resolver;
    private final TlsInspector tls;
    private final Clock clock;
    private final Pause pause;
    private final Consumer<String> progress;
    private final int maxBodyBytes;
    private final StatusClassifier classifier;
    private final Path serverLog;

    /** Waits between the requests of a burst; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Pause {
        /**
         * Waits {@code duration}.
         *
         * @throws InterruptedException if interrupted while waiting
         */
        void pause(Duration duration) throws InterruptedException;
    }

    private CallbackDoctor(Builder builder) {
        this.providers = List.copyOf(builder.providers);
        this.mountPath = builder.mountPath;
        this.allowPrivate = builder.allowPrivate;
        this.allowHttp = builder.allowHttp;
        this.timeout = builder.timeout;
        this.burstCount = builder.burstCount;
        this.burstInterval = builder.burstInterval;
        this.resolver = builder.resolver;
        this.tls = TlsInspector.trusting(builder.trustStore, builder.issuers);
        this.clock = builder.clock;
        this.pause = builder.pause;
        this.progress = builder.progress;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.classifier = StatusClassifier.expert(endpoints());
        this.serverLog = builder.serverLog;
    }

    /** A builder; providers are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The URL the callback servlet is mounted at: {@code shopUrl} itself when it names a path,
     * else {@code shopUrl} plus the mount path ({@value #DEFAULT_MOUNT} unless told otherwise).
     *
     * @throws IllegalArgumentException unless an absolute http(s) URL with a host
     */
    public URI mountUrl(String shopUrl) {
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(shopUrl, "shopUrl").strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + shopUrl, e);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("give the shop's URL, e.g. https://shop.example.com: " + shopUrl);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.isEmpty() || path.equals("/")) {
            String base = uri.toString();
            int cut = base.indexOf('?') >= 0 ? base.indexOf('?') : base.indexOf('#') >= 0 ? base.indexOf('#') : base.length();
            String head = base.substring(0, cut);
            head = head.endsWith("/") ? head.substring(0, head.length() - 1) : head;
            return URI.create(head + mountPath + base.substring(cut));
        }
        return uri;
    }

    /**
     * The URL checks and whitelist of a shop, without any traffic.
     *
     * @throws IllegalArgumentException if {@code shopUrl} is not an absolute http(s) URL
     */
    public CallbackUrls urls(String shopUrl) {
        CallbackUrls.Builder urls = CallbackUrls.builder(mountUrl(shopUrl).toString())
                .endpoints(endpoints())
                .allowPrivateHosts(allowPrivate)
                .allowHttp(allowHttp);
        for (ProviderProfile provider : providers) {
            if (provider.httpsRequired()) {
                urls.requireHttps(provider.name());
            }
            urls.sourceIps(provider.name(), provider.sourceIps());
        }
        return urls.build();
    }

    /**
     * Runs every check against the shop at {@code shopUrl}.
     *
     * @throws IllegalArgumentException if {@code shopUrl} is not an absolute http(s) URL
     */
    public DoctorReport check(String shopUrl) {
        Instant started = clock.instant();
        CallbackUrls urls = urls(shopUrl);
        URI mount = urls.mountUrl();
        List<Check> checks = new ArrayList<>();
        for (UrlCheck url : urls.check()) {
            checks.add(Check.of("url", url.rule().replaceFirst("^url\\.", "").replace('-', ' '),
                    status(url.status()), url.message()));
        }
        boolean reachable = dnsAndTls(mount, checks);
        Optional<String> ruleExclusion = Optional.empty();
        if (reachable) {
            ruleExclusion = probe(mount, checks, new Prober(tls.context(), resolver, timeout, maxBodyBytes, clock),
                    urls.whitelist().pathRegex());
        } else {
            checks.add(Check.of("probe", "all", Check.Status.SKIP, "Not probed: the shop cannot be reached (see above)."));
        }
        return new DoctorReport(mount, providers.stream().map(ProviderProfile::name).toList(), checks, urls.whitelist(),
                ruleExclusion, started, Duration.between(started, clock.instant()));
    }

    private boolean dnsAndTls(URI mount, List<Check> checks) {
        String host = mount.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        progress.accept("resolving " + bare);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            checks.add(failed("dns", bare, "Does not resolve.", transportFailure(mount,
                    new Failures.Failure(TransportFailure.DNS, "could not resolve host: " + bare))));
            return false;
        }
        List<String> shown = addresses.stream().map(InetAddress::getHostAddress).toList();
        List<String> off = addresses.stream().filter(a -> !CallbackUrls.isPublicAddress(a))
                .map(InetAddress::getHostAddress).toList();
        if (!off.isEmpty() && !allowPrivate) {
            checks.add(Check.of("dns", bare, Check.Status.FAIL, "Resolves to " + String.join(", ", shown)
                    + ": " + String.join(", ", off) + " is not public, so providers cannot reach it. Refusing to probe "
                    + "a private or loopback address (--allow-private for local testing)."));
            return false;
        }
        checks.add(Check.of("dns", bare, off.isEmpty() ? Check.Status.PASS : Check.Status.WARN, "Resolves to "
                + String.join(", ", shown) + (off.isEmpty() ? "." : " (not public: allowed for local testing).")));
        if (!"https".equals(mount.getScheme())) {
            return true;
        }
        int port = mount.getPort() > 0 ? mount.getPort() : 443;
        progress.accept("TLS handshake with " + bare + ":" + port);
        TlsInspector.Result result = tls.inspect(bare, addresses.get(0), port, timeout, clock.instant());
        if (result.ok()) {
            Instant expires = result.chain().isEmpty() ? Instant.MAX : result.chain().get(0).getNotAfter().toInstant();
            boolean soon = expires.isBefore(clock.instant().plus(Duration.ofDays(14)));
            checks.add(Check.of("tls", bare + ":" + port, soon ? Check.Status.WARN : Check.Status.PASS,
                    TlsInspector.describe(result) + (soon ? ". It expires within 14 days: renew it now." : ".")));
            return true;
        }
        checks.add(failed("tls", bare + ":" + port, result.failure().message(), transportFailure(mount, result.failure())));
        return false;
    }

    /** Probes every endpoint, reads the server log if given, then bursts; returns the narrower exclusion the log allows. */
    private Optional<String> probe(URI mount, List<Check> checks, Prober prober, String pathRegex) {
        ServerLog log = serverLog == null ? null : ServerLog.from(serverLog);
        Map<Integer, Prober.Request> probed = new LinkedHashMap<>();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<Prober.Request> all = new ArrayList<>();
        List<CallbackEndpoint> of = new ArrayList<>();
        List<ProviderProfile> by = new ArrayList<>();
        for (ProviderProfile provider : providers) {
            for (CallbackEndpoint endpoint : provider.endpoints()) {
                for (Prober.Request request : Prober.requests(mount, provider, endpoint)) {
                    all.add(request);
                    of.add(endpoint);
                    by.add(provider);
                }
            }
        }
        List<ProviderProfile> burstable = new ArrayList<>();
        boolean waitedInVain = false;
        for (int i = 0; i < all.size(); i++) {
            ProviderProfile provider = by.get(i);
            CallbackEndpoint endpoint = of.get(i);
            Prober.Request request = all.get(i);
            progress.accept("probing " + request.name() + " (" + (i + 1) + "/" + all.size() + ")");
            String id = "doctor-" + run + "-" + (i + 1);
            DeliveryAttempt attempt = prober.probe(provider, endpoint, request, id, 1, clock.instant());
            Diagnosis diagnosis = classifier.classify(attempt);
            String again = "";
            if (diagnosis.verdict() == Verdict.RATE_LIMITED && waitedInVain) {
                again = " (the doctor's own probes hit this limit; waiting did not lift it)";
            } else if (diagnosis.verdict() == Verdict.RATE_LIMITED) {
                // the doctor's own pace, not the provider's: wait as told (bounded), then ask once more
                Duration wait = retryAfter(attempt);
                progress.accept("rate limited; waiting " + human(wait) + " before probing " + request.name() + " again");
                if (!pause(wait)) {
                    return Optional.empty();
                }
                attempt = prober.probe(provider, endpoint, request, id + "-again", 1, clock.instant());
                id = id + "-again";
                diagnosis = classifier.classify(attempt);
                again = " (after the doctor's own probes hit a rate limit and it waited " + human(wait) + ")";
                waitedInVain = diagnosis.verdict() == Verdict.RATE_LIMITED; // then the limit is longer: wait no more
            }
            Check check = probeCheck(provider, endpoint, request, attempt, diagnosis, id, again);
            probed.put(checks.size(), request);
            checks.add(check);
            if (endpoint == provider.endpoints().get(0) && check.status() == Check.Status.PASS && !burstable.contains(provider)) {
                burstable.add(provider);
            }
        }
        Optional<String> ruleExclusion = log == null ? Optional.empty() : readServerLog(log, checks, probed, pathRegex);
        if (burstCount == 0) {
            return ruleExclusion;
        }
        for (ProviderProfile provider : providers) {
            checks.add(burstable.contains(provider) ? burst(mount, provider, run, prober)
                    : Check.of("burst", provider.name(), Check.Status.SKIP, "Not sent: the probe of " + provider.name()
                            + "/" + provider.endpoints().get(0).kind() + " failed."));
        }
        return ruleExclusion;
    }

    /**
     * Names, on each refused probe, the ModSecurity rules the server log shows for its path, and
     * makes the exclusion that removes just those rules on the callback paths.
     */
    private Optional<String> readServerLog(ServerLog log, List<Check> checks, Map<Integer, Prober.Request> probed,
            String pathRegex) {
        Map<String, Map<String, String>> rules;
        try {
            rules = log.rules();
        } catch (IOException | RuntimeException e) {
            checks.add(Check.of("log", log.file().toString(), Check.Status.WARN, "Could not read the server log: "
                    + e.getMessage()));
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        probed.forEach((index, request) -> {
            Check check = checks.get(index);
            Map<String, String> seen = rules.get(request.url().getRawPath());
            if (check.status() != Check.Status.FAIL || seen == null || check.diagnosis().isEmpty()) {
                return;
            }
            ids.addAll(seen.keySet());
            Diagnosis found = check.diagnosis().get();
            Map<String, String> evidence = new LinkedHashMap<>(found.evidence());
            evidence.put("ruleIds", String.join(",", seen.keySet()));
            evidence.put("serverLog", log.file().toString());
            List<String> steps = new ArrayList<>();
            steps.add("Remove these rules on the callback paths only, not ModSecurity as a whole: SecRuleRemoveById "
                    + String.join(" ", seen.keySet()) + " in a <LocationMatch> of the callback paths (the narrower "
                    + "exclusion under Whitelist below).");
            steps.addAll(found.nextSteps());
            checks.set(index, new Check(check.area(), check.name(), check.status(), check.message() + "; "
                    + log.file().getFileName() + " names ModSecurity rule" + (seen.size() == 1 ? " " : "s ")
                    + String.join(", ", seen.keySet()), Optional.of(new Diagnosis(found.verdict(),
                    Optional.of(Fingerprints.MODSECURITY), found.providerWillRetry(), found.retriesUntil(),
                    found.summary() + " The server log names the ModSecurity rules: " + ServerLog.describe(seen) + ".",
                    steps, found.cause(), evidence)), check.httpStatus()));
        });
        return ids.isEmpty() ? Optional.empty() : Optional.of(ServerLog.apacheExclusion(pathRegex, ids));
    }

    /** How long to wait before asking again after a rate limit: its {@code Retry-After} up to 10 s, else the burst interval (at least 1 s). */
    private Duration retryAfter(DeliveryAttempt attempt) {
        Duration fallback = burstInterval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : burstInterval;
        return attempt.headers().first("Retry-After").filter(v -> v.strip().matches("\\d{1,4}"))
                .map(v -> Duration.ofSeconds(Math.min(10, Long.parseLong(v.strip())))).orElse(fallback);
    }

    private boolean pause(Duration duration) {
        try {
            pause.pause(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Check probeCheck(ProviderProfile provider, CallbackEndpoint endpoint, Prober.Request request,
            DeliveryAttempt attempt, Diagnosis diagnosis, String id, String again) {
        String name = request.name();
        String sent = request.method() + " " + request.url().getRawPath() + " -> ";
        if (diagnosis.verdict() == Verdict.DELIVERED) {
            if (!attempt.bodyStart().contains("\"id\":\"" + id + "\"")) {
                return new Check("probe", name, Check.Status.FAIL, sent + attempt.status().getAsInt()
                        + ", but with another probe's answer: a cache answers this path.", Optional.of(diagnosis),
                        attempt.status());
            }
            return new Check("probe", name, Check.Status.PASS, sent + attempt.status().getAsInt()
                    + ", answered by the shop's callback router" + again + ".", Optional.empty(), attempt.status());
        }
        String outcome = attempt.status().isPresent() ? Integer.toString(attempt.status().getAsInt())
                : attempt.failure().map(Enum::name).orElse("?");
        String headline = sent + outcome + ": " + diagnosis.verdict()
                + diagnosis.firewall().map(f -> " (" + f + ")").orElse("") + again;
        if (diagnosis.cause().equals("router.not-found") && provider.optionalKinds().contains(endpoint.kind())) {
            return new Check("probe", name, Check.Status.WARN, headline + "; the shop does not mount this optional "
                    + "callback. Fine unless you registered its URL with " + provider.name() + ".", Optional.empty(),
                    attempt.status());
        }
        return new Check("probe", name, Check.Status.FAIL, headline, Optional.of(diagnosis), attempt.status());
    }

    /**
     * Requests like a provider retrying, starting one burst interval after the probes: where a
     * limit refuses one, says which request and the rate that was allowed.
     */
    private Check burst(URI mount, ProviderProfile provider, String run, Prober prober) {
        CallbackEndpoint endpoint = provider.endpoints().get(0);
        Prober.Request request = Prober.requests(mount, provider, endpoint).get(0);
        String sending = burstCount + " requests " + human(burstInterval) + " apart to " + request.name();
        if (!pause(burstInterval)) { // one interval after the probes, as between the burst's own requests
            return Check.of("burst", provider.name(), Check.Status.SKIP, "Interrupted.");
        }
        Instant first = clock.instant();
        for (int n = 1; n <= burstCount; n++) {
            if (n > 1 && !pause(burstInterval)) {
                return Check.of("burst", provider.name(), Check.Status.SKIP, "Interrupted.");
            }
            progress.accept("burst to " + request.name() + " (" + n + "/" + burstCount + ")");
            String id = "doctor-" + run + "-burst-" + provider.name() + "-" + n;
            DeliveryAttempt attempt = prober.probe(provider, endpoint, request, id, n, first);
            Diagnosis diagnosis = classifier.classify(attempt);
            if (diagnosis.verdict() != Verdict.DELIVERED) {
                String got = attempt.status().stream().mapToObj(Integer::toString).findFirst()
                        .orElse(attempt.failure().map(Enum::name).orElse("?"));
                String limit = n == 1 ? "the first was refused, so a limit was already used up (by the probes just "
                        + "before, or other traffic)"
                        : (n - 1) + " answered, then request " + n + ", " + human(burstInterval.multipliedBy(n - 1))
                        + " after the first, was refused: a limit that let through no more than " + (n - 1) + " in "
                        + human(burstInterval.multipliedBy(n - 1)) + " from one address, the probes just before "
                        + "counting toward it too (the limit's own setting is in the refusing server's configuration"
                        + (diagnosis.cause().equals("nginx.limit-req") ? ": nginx's limit_req rate and burst" : "")
                        + ")";
                return new Check("burst", provider.name(), Check.Status.FAIL, sending + ": request " + n + " of "
                        + burstCount + " refused with " + got + ": " + diagnosis.verdict()
                        + diagnosis.firewall().map(f -> " (" + f + ")").orElse("") + "; " + limit
                        + ". A provider retrying would be refused the same way.", Optional.of(diagnosis), attempt.status());
            }
        }
        return Check.of("burst", provider.name(), Check.Status.PASS, sending + ", as a provider retrying: all "
                + "answered by the shop's callback router.");
    }

    private Check failed(String area, String name, String message, Diagnosis diagnosis) {
        return new Check(area, name, Check.Status.FAIL, message, Optional.of(diagnosis));
    }

    /** A failure before any provider's request: diagnosed without a provider, so without retry talk. */
    private Diagnosis transportFailure(URI mount, Failures.Failure failure) {
        return classifier.classify(DeliveryAttempt.builder(JournalEntry.UNMATCHED, JournalEntry.UNMATCHED)
                .attemptedAt(clock.instant()).url(mount).failure(failure.kind(), failure.message()).build());
    }

    private List<CallbackEndpoint> endpoints() {
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        providers.forEach(p -> endpoints.addAll(p.endpoints()));
        return endpoints;
    }

    private static Check.Status status(UrlCheck.Status status) {
        return switch (status) {
            case PASS -> Check.Status.PASS;
            case WARN -> Check.Status.WARN;
            case FAIL -> Check.Status.FAIL;
        };
    }

    static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Builds a {@link CallbackDoctor}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private List<ProviderProfile> providers = List.of();
        private String mountPath = DEFAULT_MOUNT;
        private boolean allowPrivate;
        private boolean allowHttp;
        private Duration timeout = Duration.ofSeconds(10);
        private int burstCount = 5;
        private Duration burstInterval = Duration.ofSeconds(2);
        private HostResolver resolver = HostResolver.system();
        private KeyStore trustStore;
        private TlsInspector.IssuerFetcher issuers = TlsInspector.httpFetcher(Duration.ofSeconds(3));
        private Clock clock = Clock.systemUTC();
        private Pause pause = duration -> Thread.sleep(duration.toMillis());
        private Consumer<String> progress = line -> { };
        private int maxBodyBytes = 16 * 1024;
        private Path serverLog;

        private Builder() {
        }

        /**
         * The web server's error log (Apache's or nginx's {@code error.log}), when the doctor runs where
         * it can read it: the lines written during the probes name the ModSecurity rules that refused
         * them, and the report then offers an exclusion of just those rules. Default none.
         */
        public Builder serverLog(Path serverLog) {
            this.serverLog = Objects.requireNonNull(serverLog, "serverLog");
            return this;
        }

        /**
         * The providers to check, e.g. {@code ProviderCatalogue.standard().select(List.of("klarna"))}.
         *
         * @throws IllegalArgumentException if empty
         */
        public Builder providers(List<ProviderProfile> providers) {
            if (providers.isEmpty()) {
                throw new IllegalArgumentException("name at least one provider");
            }
            this.providers = List.copyOf(providers);
            return this;
        }

        /**
         * Where the callback servlet is mounted when the shop URL names no path; default {@value CallbackDoctor#DEFAULT_MOUNT}.
         *
         * @throws IllegalArgumentException unless it starts with {@code /}
         */
        public Builder mountPath(String mountPath) {
            if (mountPath == null || !mountPath.startsWith("/")) {
                throw new IllegalArgumentException("the mount path starts with /: " + mountPath);
            }
            this.mountPath = mountPath.length() > 1 && mountPath.endsWith("/")
                    ? mountPath.substring(0, mountPath.length() - 1) : mountPath.equals("/") ? "" : mountPath;
            return this;
        }

        /** Probes private and loopback addresses too (local testing); by default they are refused. */
        public Builder allowPrivate(boolean allowPrivate) {
            this.allowPrivate = allowPrivate;
            return this;
        }

        /** Reports http as a warning where a provider requires https (a playground, local testing). */
        public Builder allowHttp(boolean allowHttp) {
            this.allowHttp = allowHttp;
            return this;
        }

        /**
         * The connect and answer timeout of each exchange; default 10 s (providers wait about as
         * long; Klarna's validation only 3 s).
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How many requests a burst sends per provider (0 for none; default 5) and how far apart
         * (default 2 s: a provider's quick retries, all within a minute).
         *
         * @throws IllegalArgumentException if count is not 0..20, or the interval is negative or
         *     makes the burst longer than a minute
         */
        public Builder burst(int count, Duration interval) {
            if (count < 0 || count > 20) {
                throw new IllegalArgumentException("a burst is 0..20 requests: " + count);
            }
            if (interval == null || interval.isNegative() || interval.multipliedBy(Math.max(0, count - 1))
                    .compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("a burst fits in a minute: " + count + " requests " + interval + " apart");
            }
            this.burstCount = count;
            this.burstInterval = interval;
            return this;
        }

        /** How host names are resolved; default the system resolver. */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The authorities trusted instead of the JDK's (a test CA); default the JDK's, as a provider trusts public ones. */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /** How a certificate's missing issuer is fetched from its AIA URL; default http(s), 3 s. For tests. */
        Builder issuers(TlsInspector.IssuerFetcher issuers) {
            this.issuers = Objects.requireNonNull(issuers, "issuers");
            return this;
        }

        /** The clock of attempt times, retry advice and certificate expiry; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the burst waits between requests; default {@link Thread#sleep}. */
        public Builder pause(Pause pause) {
            this.pause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /** Told, in a short line, what the doctor is doing now (for a progress line). */
        public Builder progress(Consumer<String> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * At most this many bytes of each answer are read; default 16 KiB.
         *
         * @throws IllegalArgumentException unless 1 KiB to 1 MiB
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be 1 KiB to 1 MiB: " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Builds the doctor.
         *
         * @throws IllegalStateException without providers
         */
        public CallbackDoctor build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("providers are required");
            }
            return new CallbackDoctor(this);
        }
    }
}
