package org.callbackkit.core.journal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callback journal as web pages for operators, like a provider's merchant log: recent
 * callbacks with time, provider, kind, status (green for 2xx, red otherwise), outcome and latency;
 * filters; one callback in detail (the redacted request, the answer, the classifier's diagnosis);
 * and two callbacks compared with their differences highlighted. Mount it at a prefix of its own:
 *
 * <pre>{@code
 * JournalServlet page = JournalServlet.builder(journal)
 *         .classifier(StatusClassifier.expert(router.endpoints()))
 *         .authorization(request -> request.isUserInRole("ops"))
 *         .build();
 * context.addServlet(new ServletHolder(page), "/admin/callbacks/*");
 * }</pre>
 *
 * <p>The journal holds customer data (addresses, order ids), so the page is <b>off unless the host
 * supplies an authorization check</b>: without one every request is answered 403, and so is every
 * request the check refuses or throws on. Every value shown is HTML-escaped; the pages carry no
 * script, and a Content-Security-Policy that allows none; answers are never cached. Only GET is
 * served.
 */
public final class JournalServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JournalServlet.class);

    private final transient JournalPage page;
    private final transient Predicate<HttpServletRequest> authorization;

    private JournalServlet(Builder builder) {
        this.page = new JournalPage(builder.journal, builder.classifier, builder.scanLimit);
        this.authorization = builder.authorization;
    }

    /** A builder for the page over {@code journal}. */
    public static Builder builder(CallbackJournal journal) {
        return new Builder(journal);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!authorized(request)) {
            write(response, authorization == null
                    ? JournalPage.error(403, "The callback journal page is off",
                            "The journal holds customer data: the host must configure an authorization check to open it.")
                    : JournalPage.error(403, "Not authorized", "You are not allowed to see the callback journal."));
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            write(response, JournalPage.error(405, "Method not allowed", "The journal pages are read-only."));
            return;
        }
        String path = request.getPathInfo();
        if (path == null) { // mounted at /x/* and asked for /x: relative links need the slash
            response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
            response.setHeader("Location", request.getRequestURI() + "/");
            return;
        }
        Map<String, List<String>> params = parameters(request);
        JournalPage.Rendered rendered = switch (path) {
            case "/" -> page.list(params);
            case "/entry" -> page.detail(params);
            case "/compare" -> page.compare(params);
            default -> JournalPage.error(404, "Not found", "The journal has a list, entry and compare page only.");
        };
        write(response, rendered);
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

    private static void write(HttpServletResponse response, JournalPage.Rendered rendered) throws IOException {
        byte[] body = rendered.html().getBytes(StandardCharsets.UTF_8);
        response.setStatus(rendered.status());
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Builds a {@link JournalServlet}; not thread-safe. */
    public static final class Builder {
        private final CallbackJournal journal;
        private StatusClassifier classifier = StatusClassifier.expert(List.of());
        private Predicate<HttpServletRequest> authorization;
        private int scanLimit = InMemoryCallbackJournal.DEFAULT_CAPACITY;

        private Builder(CallbackJournal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
        }

        /**
         * Who may see the pages, e.g. {@code request -> request.isUserInRole("ops")}. Without it the
         * page is off and answers 403 to everyone.
         */
        public Builder authorization(Predicate<HttpServletRequest> authorization) {
            this.authorization = Objects.requireNonNull(authorization, "authorization");
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
         * How many of the newest entries the pages look through (filters, ids); default
         * {@value InMemoryCallbackJournal#DEFAULT_CAPACITY}.
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
