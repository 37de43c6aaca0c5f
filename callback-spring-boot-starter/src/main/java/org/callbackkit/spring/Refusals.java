package org.callbackkit.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.callbackkit.core.intake.CallbackHeaders;
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
        CallbackRequest.Builder request = CallbackRequest.builder()
                .method(http.getMethod() == null ? "-" : http.getMethod())
                .path(belowMount(rawPath(http)))
                .headers(headers(http))
                .remoteAddress(http.getRemoteAddr() == null ? "-" : http.getRemoteAddr())
                .receivedAt(router.clock().instant());
        try {
            if (http.getQueryString() != null) {
                request.rawQuery(http.getQueryString());
            }
        } catch (IllegalArgumentException e) {
            // journaled without the query: the refusal is what matters
        }
        return router.reject(request.build(), status, reason);
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

    private static CallbackHeaders headers(HttpServletRequest http) {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Enumeration<String> names = http.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            if (name == null) {
                continue;
            }
            // a request Tomcat stopped parsing may hold a header without its value
            List<String> values = Collections.list(http.getHeaders(name)).stream().filter(Objects::nonNull).toList();
            if (!values.isEmpty()) {
                map.putIfAbsent(name, values);
            }
        }
        return CallbackHeaders.of(map);
    }
}
