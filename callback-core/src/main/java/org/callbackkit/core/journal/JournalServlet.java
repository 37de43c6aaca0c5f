package org.callbackkit.core.journal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback journal as web pages for operators, like a provider's merchant log: recent
 * callbacks with time, provider, kind, order, status (green for 2xx, red otherwise), outcome and
 * latency; filters, a time range and pages; one callback in detail (the redacted request, the
 * answer, the classifier's diagnosis); two callbacks compared with their differences highlighted;
 * everything about one order (its callbacks, delayed actions, action runs and provider API calls);
 * and, given the scheduler, the delayed work with "run now". Mount
 * it at a prefix of its own:
 *
 * <pre>{@code
 * JournalServlet page = JournalServlet.builder(journal)
 *         .classifier(StatusClassifier.expert(router.endpoints()))
 *         .scheduler(scheduler)
 *         .zone(ZoneId.of("Europe/Stockholm"))
 *         .authorization(request -> request.isUserInRole("ops"))
 *         .build();
 * context.addServlet(new ServletHolder(page), "/admin/callbacks/*");
 * }</pre>
 *
 * <p>Pages: {@code ./} (the list; {@code provider}, {@code kind}, {@code outcome}, {@code status},
 * {@code order}, {@code from}, {@code to}, {@code probes=1}, {@code after}, {@code limit}),
 * {@code entry?id=}, {@code compare?id=&id=}, {@code order?ref=}, {@code work}; the same as JSON
 * at {@code api/entries} (the list's parameters; {@code next} is the next page's cursor),
 * {@code api/entry?id=} (with the answer and the diagnosis), {@code api/order?ref=} and
 * {@code api/work}. Two forms post: {@code run} (type, key), the scheduler's
 * {@link DelayedActionScheduler#runNow(String, String)}, and {@code redispatch} (id), the router's
 * {@link CallbackRouter#redispatch(String)} where the host keeps bodies.
 *
 * <p>The journal holds customer data (addresses, order ids), so the page is <b>off unless the host
 * supplies an authorization check</b>: without one every request is answered 403, and so is every
 * request the check refuses or throws on. A POST must also carry the page's CSRF token: an
 * HMAC, under a key random per servlet, of a random value in a {@code SameSite=Strict},
 * {@code HttpOnly} cookie and of the operator's name, compared in constant time. Every "run
 * now" and "re-dispatch" is journaled (provider {@value #CONSOLE}) with the operator's name. Every value shown is
 * HTML-escaped; the pages carry no script, and a Content-Security-Policy that allows none;
 * answers are never cached.
 */
public final class JournalServlet extends HttpServlet {

    /** The provider of the journal entries that record what an operator did on the page. */
    public static final String CONSOLE = "console";

    /** The form field that carries the CSRF token. */
    static final String CSRF_PARAMETER = "csrf";
    /** The cookie whose value the CSRF token is tied to. */
    static final String CSRF_COOKIE = "callbackkit-console";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JournalServlet.class);
    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern BACK = Pattern.compile("work|order\\?ref=[A-Za-z0-9%._~+*-]{1,600}");
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final transient JournalPage page;
    private final transient CallbackJournal journal;
    private final transient DelayedActionScheduler scheduler;
    private final transient Predicate<HttpServletRequest> authorization;
    private final transient Function<HttpServletRequest, String> operator;
    private final transient Clock clock;
    private final transient CallbackRouter router;
    private final transient SecureRandom random = new SecureRandom();
    private final transient byte[] csrfKey = new byte[32];

    private JournalServlet(Builder builder) {
        this.journal = builder.journal;
        this.scheduler = builder.scheduler;
        this.clock = builder.clock;
        this.page = new JournalPage(builder.journal, builder.classifier, builder.scanLimit, builder.scheduler,
                builder.zone, builder.clock, builder.router);
        this.router = builder.router;
        this.authorization = builder.authorization;
        this.operator = builder.operator;
        random.nextBytes(csrfKey);
    }

    /** A builder for the page over {@code journal}. */
    public static Builder builder(CallbackJournal journal) {
        return new Builder(journal);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!authorized(request)) {
            closeIfBodyUnread(request, response);
            write(response, authorization == null
                    ? JournalPage.error(403, "The callback journal page is off",
                            "The journal holds customer data: the host must configure an authorization check to open it.")
                    : JournalPage.error(403, "Not authorized", "You are not allowed to see the callback journal."));
            return;
        }
        String path = request.getPathInfo();
        if (path == null) { // mounted at /x/* and asked for /x: relative links need the slash
            closeIfBodyUnread(request, response);
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getRequestURI() + "/");
            return;
        }
        boolean posted = "/run".equals(path) || "/redispatch".equals(path);
        if ("POST".equals(request.getMethod()) && posted) {
            if (!csrfTokenValid(request)) {
                write(response, JournalPage.error(403, "Refused: the form is stale or forged",
                        "The request carried no valid token of this page. Open the page again and repeat."));
            } else if ("/run".equals(path)) {
                runNow(request, response);
            } else {
                redispatch(request, response);
            }
            return;
        }
        if (!"GET".equals(request.getMethod()) || posted) {
            closeIfBodyUnread(request, response);
            response.setHeader("Allow", posted ? "POST" : "GET");
            write(response, JournalPage.error(405, "Method not allowed",
                    "The journal pages are read with GET; only \"run now\" and \"re-dispatch\" are posted."));
            return;
        }
        Map<String, List<String>> params = parameters(request);
        JournalPage.Rendered rendered;
        try {
            rendered = render(path, params, request, response);
        } catch (TemporarilyUnavailableException e) { // the operator looks just when the database is out
            LOG.warn("Journal page {}: {}", path, e.getMessage());
            response.setHeader("Retry-After", "10");
            rendered = path.startsWith("/api/") ? JournalJson.error(503, "the journal's database is unavailable")
                    : JournalPage.error(503, "The journal's database is unavailable", "The page cannot read it now ("
                            + e.getMessage() + "). Callbacks are still answered; try again in a moment.");
        }
        write(response, rendered);
    }

    private JournalPage.Rendered render(String path, Map<String, List<String>> params, HttpServletRequest request,
            HttpServletResponse response) {
        return switch (path) {
            case "/" -> page.list(params);
            case "/entry" -> page.detail(params, csrfToken(request, response));
            case "/compare" -> page.compare(params);
            case "/order" -> page.order(params, csrfToken(request, response));
            case "/work" -> page.work(csrfToken(request, response));
            case "/api/entries" -> JournalJson.entries(page, journal, params);
            case "/api/entry" -> JournalJson.entry(page, params);
            case "/api/order" -> JournalJson.order(page, scheduler, params);
            case "/api/work" -> JournalJson.work(scheduler);
            default -> JournalPage.error(404, "Not found",
                    "The journal has a list, entry, compare, order and work page, and api/entries, api/entry, api/order and api/work.");
        };
    }

    /** "Re-dispatch": the kept request dispatched again, journaled with who did it, then its order's page. */
    private void redispatch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        if (router == null || id == null || id.isBlank()) {
            write(response, JournalPage.error(404, "Nothing to re-dispatch", "The host did not give this page its router,"
                    + " or no callback was named."));
            return;
        }
        String who = operatorOf(request);
        Instant now = clock.instant();
        Optional<JournalEntry> original = page.find(id);
        Optional<CallbackResponse> answer = router.redispatch(id);
        if (answer.isEmpty()) {
            write(response, JournalPage.error(410, "No longer kept", "This callback's body is not kept (any more), so it"
                    + " cannot be re-dispatched; the provider's own resend is the way."));
            return;
        }
        List<String> references = original.map(JournalEntry::orderReferences).orElse(List.of());
        String detail = "re-dispatch of " + id + " by " + who + ": answered " + answer.get().status() + " "
                + answer.get().outcome();
        LOG.info("Journal page: {}", detail);
        record(request, now, "re-dispatch", 303, CallbackOutcome.ACCEPTED, Map.of("id", List.of(id)), references, detail);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", references.isEmpty() ? "./"
                : "order?ref=" + URLEncoder.encode(references.get(0), StandardCharsets.UTF_8));
        response.setHeader("Cache-Control", "no-store");
    }

    /** "Run now": done, journaled with who did it, then back to the page it came from. */
    private void runNow(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (scheduler == null) {
            write(response, JournalPage.error(404, "No delayed work here", "The host did not give this page its scheduler."));
            return;
        }
        String type = request.getParameter("type");
        String key = request.getParameter("key");
        if (type == null || type.isBlank() || key == null || key.isBlank()) {
            write(response, JournalPage.error(400, "Which action?", "Give the action's type and key."));
            return;
        }
        String who = operatorOf(request);
        Instant now = clock.instant();
        // the order's page lists it: an order/event key is about its order
        List<String> references = Stream.of(OrderActivity.orderReferenceOf(key), key).distinct().toList();
        boolean made;
        try {
            made = scheduler.runNow(type, key);
        } catch (RuntimeException e) {
            LOG.warn("Run now of {} {} by {} failed", type, key, who, e);
            record(request, now, "run-now", 503, CallbackOutcome.FAILED, actionQuery(type, key), references,
                    "run now of " + type + " " + key + " by " + who + " failed: " + e.getClass().getSimpleName());
            write(response, JournalPage.error(503, "Not run", "The scheduler could not take it: " + e.getClass().getSimpleName()
                    + ". Try again in a moment."));
            return;
        }
        String detail = "run now of " + type + " " + key + " by " + who
                + (made ? ": due now" : ": nothing waiting or dead with this type and key, or it is running");
        LOG.info("Journal page: {}", detail);
        record(request, now, "run-now", 303, made ? CallbackOutcome.ACCEPTED : CallbackOutcome.DUPLICATE,
                actionQuery(type, key), references, detail);
        String back = request.getParameter("back");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", back != null && BACK.matcher(back).matches() ? back : "work");
        response.setHeader("Cache-Control", "no-store");
    }

    private static Map<String, List<String>> actionQuery(String type, String key) {
        return Map.of("type", List.of(type), "key", List.of(key));
    }

    private void record(HttpServletRequest request, Instant at, String kind, int status, CallbackOutcome outcome,
            Map<String, List<String>> query, List<String> references, String detail) {
        try {
            journal.record(new JournalEntry(newId(), at, CONSOLE, kind, outcome, status,
                    Duration.between(at, clock.instant()), request.getRemoteAddr(), "POST", request.getRequestURI(),
                    query, Map.of(), 0, detail, references));
        } catch (RuntimeException e) {
            LOG.error("The journal failed to record: {}", detail, e);
        }
    }

    private String operatorOf(HttpServletRequest request) {
        try {
            String name = operator.apply(request);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        } catch (RuntimeException e) {
            LOG.warn("The journal page's operator function failed", e);
        }
        return "an unnamed operator at " + request.getRemoteAddr();
    }

    /** The token the page's forms carry, setting the cookie it is tied to when the browser has none. */
    private String csrfToken(HttpServletRequest request, HttpServletResponse response) {
        String cookie = csrfCookie(request);
        if (cookie == null) {
            byte[] value = new byte[32];
            random.nextBytes(value);
            cookie = BASE64.encodeToString(value);
            response.addHeader("Set-Cookie", CSRF_COOKIE + "=" + cookie + "; Path=" + request.getContextPath()
                    + request.getServletPath() + "/; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : ""));
        }
        return token(cookie, operatorOf(request));
    }

    private boolean csrfTokenValid(HttpServletRequest request) {
        String cookie = csrfCookie(request);
        String given = request.getParameter(CSRF_PARAMETER);
        if (cookie == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(token(cookie, operatorOf(request)).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private static String csrfCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (CSRF_COOKIE.equals(cookie.getName()) && COOKIE_VALUE.matcher(cookie.getValue()).matches()) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private String token(String cookie, String who) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
            return BASE64.encodeToString(mac.doFinal((cookie + "\n" + who).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private String newId() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    private boolean authorized(HttpServletRequest request) {
        if (authorization == null) {
            return false;
        }
        try {
            return authorization.test(request);
        } catch (RuntimeException e) {
            LOG.warn("The journal page's authorization check failed; refusing the request", e);
            return false;
        }
    }

    private static Map<String, List<String>> parameters(HttpServletRequest request) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> params.put(name, List.of(values)));
        return params;
    }

    /**
     * Asks the container to close the connection after a refusal that leaves a request's body
     * unread: the body may still be arriving after the answer, and a client that reused the
     * connection would see its next request fail with no answer at all.
     */
    private static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Connection", "close");
        }
    }

    private static void write(HttpServletResponse response, JournalPage.Rendered rendered) throws IOException {
        byte[] body = rendered.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(rendered.status());
        response.setContentType(rendered.contentType());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src " + JournalPage.STYLE_SOURCE
                        + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Builds a {@link JournalServlet}; not thread-safe. */
    public static final class Builder {
        private final CallbackJournal journal;
        private StatusClassifier classifier = StatusClassifier.expert(List.of());
        private Predicate<HttpServletRequest> authorization;
        private Function<HttpServletRequest, String> operator = HttpServletRequest::getRemoteUser;
        private DelayedActionScheduler scheduler;
        private CallbackRouter router;
        private ZoneId zone = ZoneOffset.UTC;
        private Clock clock = Clock.systemUTC();
        private int scanLimit = InMemoryCallbackJournal.DEFAULT_CAPACITY;

        private Builder(CallbackJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
        }

        /**
         * Who may see the pages and run actions, e.g. {@code request -> request.isUserInRole("ops")}.
         * Without it the page is off and answers 403 to everyone.
         */
        public Builder authorization(Predicate<HttpServletRequest> authorization) {
            this.authorization = Objects.requireNonNull(authorization, "authorization");
            return this;
        }

        /**
         * The operator's name, journaled with every "run now" and part of the CSRF token; default
         * {@link HttpServletRequest#getRemoteUser()}, and "an unnamed operator at" the remote
         * address when that is null.
         */
        public Builder operator(Function<HttpServletRequest, String> operator) {
            this.operator = Objects.requireNonNull(operator, "operator");
            return this;
        }

        /**
         * The scheduler whose work the delayed-work and order views show and "run now" sets going;
         * without it those views say so.
         */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The router whose kept requests the detail view offers to re-dispatch
         * ({@link CallbackRouter#redispatch(String)}); only a router built with
         * {@code keepBodies} keeps any, and the detail view says so when it does not.
         */
        public Builder router(CallbackRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /**
         * The zone times are shown in beside UTC, and the time-range filter is read in; default
         * UTC (then only UTC is shown). The page converts on the server: its strict CSP allows no
         * script to read the browser's zone.
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The clock that tells which actions are overdue and stamps the journaled "run now"; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The classifier of the detail view; default the expert classifier without endpoints (so
         * it cannot say how a provider retries). Give it {@code StatusClassifier.expert(router.endpoints())}.
         */
        public Builder classifier(StatusClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * How many of the newest entries the list looks through for the choices of its provider and
         * kind filters when it has no {@link #router(CallbackRouter) router} to take them from (its
         * endpoints); default {@value InMemoryCallbackJournal#DEFAULT_CAPACITY}. Filtering and paging
         * themselves are done by the journal.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder scanLimit(int scanLimit) {
            if (scanLimit < 1) {
                throw new IllegalArgumentException("scanLimit must be positive: " + scanLimit);
            }
            this.scanLimit = scanLimit;
            return this;
        }

        /** Builds the servlet; without {@link #authorization} it answers every request 403. */
        public JournalServlet build() {
            return new JournalServlet(this);
        }
    }
}
