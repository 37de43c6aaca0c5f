package org.callbackkit.examples;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays what stands in front of real shops, in front of the demo's callbacks: the firewalls and
 * security plugins of the support articles. Chosen per run with {@link DemoShop#firewall(Mode)};
 * the shop's own JSON pages ({@code /callbacks/journal}, {@code /callbacks/health}) are let
 * through so the demo can still read them.
 */
final class SimulatedFirewall implements Filter {

    /** What the firewall does. */
    enum Mode {
        /** Nothing: every request reaches the shop. */
        NONE("no firewall"),
        /** Comodo's ModSecurity rule 211180 on a cPanel host: 403 for {@code User-Agent: APIs-Klarna}. */
        MODSECURITY("ModSecurity (Comodo rule 211180 against APIs-Klarna)"),
        /** Wordfence's rate limiting: 503 "access limited" after {@value #WORDFENCE_LIMIT} requests a minute from one address. */
        WORDFENCE("Wordfence rate limiting (503 after " + WORDFENCE_LIMIT + " requests a minute)"),
        /** A Cloudflare WAF rule: error 1020, access denied, for every callback. */
        CLOUDFLARE("Cloudflare WAF (error 1020 for every callback)"),
        /** A host that answers 200 to everything with its own page. */
        CATCH_ALL("a catch-all 200 (the host answers every request itself)");

        private final String description;

        Mode(String description) {
            this.description = description;
        }

        /** In plain words, for the demo's report. */
        String description() {
            return description;
        }

        /** The mode named {@code name}, ignoring case and {@code -}. */
        static Mode parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    static final int WORDFENCE_LIMIT = 6;
    static final String RAY_ID = "8f1b2c3d4e5f6a7b";
    private static final Set<String> SHOP_PAGES = Set.of("/callbacks/journal", "/callbacks/health");

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NONE);
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new HashMap<>();

    SimulatedFirewall(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Mode mode() {
        return mode.get();
    }

    /** Switches to {@code next} and forgets what the rate limit counted. */
    void mode(Mode next) {
        synchronized (recent) {
            recent.clear();
        }
        mode.set(Objects.requireNonNull(next, "mode"));
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (SHOP_PAGES.contains(request.getRequestURI()) || !block(request, response)) {
            chain.doFilter(request, response);
        }
    }

    /** Answers in the firewall's place and returns true, or returns false to let the request through. */
    private boolean block(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (mode.get()) {
            case MODSECURITY -> {
                if (!"APIs-Klarna".equals(request.getHeader("User-Agent"))) {
                    return false;
                }
                response.setHeader("Server", "Apache");
                write(response, 403, "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>"
                        + "<h1>Forbidden</h1><p>Access denied with code 403 (phase 2). ModSecurity: Matched phrase "
                        + "\"APIs-Klarna\" [id \"211180\"] [msg \"COMODO WAF: Session Fixation: SessionID Parameter Name "
                        + "with No Referer\"]</p></body></html>");
            }
            case WORDFENCE -> {
                if (!overLimit(request.getRemoteAddr())) {
                    return false;
                }
                write(response, 503, "<html><head><title>Your access to this site has been limited by the site owner"
                        + "</title></head><body><h1>Your access to this site has been limited by the site owner</h1>"
                        + "<p>If you think you have been blocked in error, contact the owner of this site.</p>"
                        + "<table><tr><td>Block Reason:</td><td>Exceeded the maximum number of requests per minute."
                        + "</td></tr></table><p>Generated by Wordfence at " + clock.instant() + ".</p></body></html>");
            }
            case CLOUDFLARE -> {
                response.setHeader("Server", "cloudflare");
                response.setHeader("CF-RAY", RAY_ID + "-ARN");
                write(response, 403, "<!DOCTYPE html><html lang=\"en-US\"><head><title>Access denied | shop.example | "
                        + "Cloudflare</title></head><body><h1>Sorry, you have been blocked</h1><h2><span>Error</span> "
                        + "<span>1020</span></h2><p>This website is using a security service to protect itself from "
                        + "online attacks.</p><p>Cloudflare Ray ID: <strong>" + RAY_ID + "</strong></p></body></html>");
            }
            case CATCH_ALL -> write(response, 200, "<!DOCTYPE html><html><head><title>Demo shop</title></head>"
                    + "<body><h1>Welcome to the demo shop</h1></body></html>");
            case NONE -> {
                return false;
            }
            default -> throw new IllegalStateException("unknown mode " + mode.get());
        }
        return true;
    }

    /** Counts the request; true once {@code address} sent more than the limit within a minute. */
    private boolean overLimit(String address) {
        Instant now = clock.instant();
        synchronized (recent) {
            Deque<Instant> times = recent.computeIfAbsent(address, a -> new ArrayDeque<>());
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
                times.removeFirst();
            }
            times.addLast(now);
            return times.size() > WORDFENCE_LIMIT;
        }
    }

    private static void write(HttpServletResponse response, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html; charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
