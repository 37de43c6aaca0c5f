package org.callbackkit.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
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
        String path = rawPath(http);
        return path.equals(mount) || path.startsWith(mount + "/") || path.startsWith(mount + ";");
    }

    /** Journals {@code http} as refused with {@code status} and writes the library's answer. */
    void refuse(HttpServletRequest http, HttpServletResponse out, int status, String reason) throws IOException {
        CallbackRequest.Builder request = CallbackRequest.builder()
                .method(http.getMethod())
                .path(belowMount(rawPath(http)))
                .headers(headers(http))
                .remoteAddress(http.getRemoteAddr())
                .receivedAt(router.clock().instant());
        try {
            if (http.getQueryString() != null) {
                request.rawQuery(http.getQueryString());
            }
        } catch (IllegalArgumentException e) {
            // journaled without the query: the refusal is what matters
        }
        CallbackResponse response = router.reject(request.build(), status, reason);
        if (out.isCommitted()) {
            return;
        }
        out.resetBuffer();
        out.setStatus(response.status());
        response.headers().asMap().forEach((name, values) -> values.forEach(value -> out.addHeader(name, value)));
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
            List<String> values = Collections.list(http.getHeaders(name));
            if (!values.isEmpty()) {
                map.putIfAbsent(name, List.copyOf(values));
            }
        }
        return CallbackHeaders.of(map);
    }
}
