package org.callbackkit.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;

/**
 * Journals a request that something in front of the callback servlet refused (Spring Security's
 * firewall), and answers it with the library's JSON, as the router answers its own refusals.
 * Only requests below the mount path are the library's; the rest are left to the caller.
 */
final class Refusals {

    private final CallbackRouter router;
    private final String mount;

    Refusals(CallbackRouter router, String mount) {
        this.router = router;
        this.mount = mount;
    }

    /** Whether the raw (undecoded) request URI is at or below the mount path. */
    boolean isCallback(HttpServletRequest http) {
        return isCallback(http.getContextPath(), http.getRequestURI());
    }

    /** Whether the raw request URI {@code uri} of an application at {@code contextPath} is at or below the mount path. */
    boolean isCallback(String contextPath, String uri) {
        if (uri == null) {
            return false;
        }
        String path = contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)
                ? uri.substring(contextPath.length()) : uri;
        return path.equals(mount) || path.startsWith(mount + "/") || path.startsWith(mount + ";");
    }

    /** Journals {@code http} as refused with {@code status} and writes the library's answer. */
    void refuse(HttpServletRequest http, HttpServletResponse out, int status, String reason) throws IOException {
        write(journal(http, status, reason), out);
    }

    /** Journals {@code http} as refused with {@code status}; returns the library's answer to send. */
    CallbackResponse journal(HttpServletRequest http, int status, String reason) {
        String query = http.getQueryString();
        CallbackRequest request = CallbackRequest.fromRawTarget(http.getMethod() == null ? "-" : http.getMethod(),
                belowMount(rawPath(http)) + (query == null ? "" : "?" + query), headers(http), http.getRemoteAddr(),
                new byte[0], router.clock().instant());
        return router.reject(request, status, reason);
    }

    /** The library's answer for a request already journaled (by the servlet), e.g. after the container's error. */
    static CallbackResponse answer(int status, String reason) {
        return CallbackResponse.error(status, reason);
    }

    /** Writes {@code response} unless the container already committed another. */
    static void write(CallbackResponse response, HttpServletResponse out) throws IOException {
        if (out.isCommitted()) {
            return;
        }
        out.resetBuffer();
        out.setStatus(response.status());
        response.headers().asMap().forEach((name, values) -> values.forEach(value -> out.setHeader(name, value)));
        byte[] body = response.body();
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
        out.flushBuffer();
    }

    private static String rawPath(HttpServletRequest http) {
        String uri = http.getRequestURI();
        String context = http.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private String belowMount(String path) {
        String rest = path.length() > mount.length() ? path.substring(mount.length()) : "/";
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    /** The header lines Tomcat read, as pairs; a request it stopped parsing may hold a name without a value. */
    private static List<Map.Entry<String, String>> headers(HttpServletRequest http) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            if (name != null) {
                Collections.list(http.getHeaders(name)).stream().filter(Objects::nonNull)
                        .forEach(value -> pairs.add(Map.entry(name, value)));
            }
        }
        return pairs;
    }
}
