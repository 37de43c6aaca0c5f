package org.callbackkit.core.intake;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * A thin Jakarta Servlet 6 adapter around a {@link CallbackRouter}. Mount it at a prefix, e.g.
 * {@code /callbacks/*}; endpoint paths are matched below that prefix.
 *
 * <p>The body is read raw, up to the router's limit plus one byte: a larger body (or a larger
 * declared {@code Content-Length}) is answered 413 with {@code Connection: close} without reading
 * the rest. A body that stops arriving until the container's idle timeout fires is answered 408
 * with {@code Connection: close}. The query string is decoded here, never through {@code getParameter}, which would
 * consume form bodies. Every request, however bad, is journaled by the router.
 */
public class CallbackServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final byte[] EMPTY = new byte[0];

    private final transient CallbackRouter router;

    /** A servlet that dispatches every request to {@code router}. */
    public CallbackServlet(CallbackRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse out) throws IOException {
        // decoded and checked by the same factory any other framework's adapter uses
        CallbackRequest request = CallbackRequest.fromRaw(http.getMethod(), pathBelowMount(http), http.getQueryString(),
                headers(http), http.getRemoteAddr(), EMPTY, router.clock().instant());
        CallbackResponse response;
        if (request.malformed().isPresent() || http.getContentLengthLong() > router.maxBodyBytes()) {
            response = router.dispatch(request); // a malformed query: 400; declared too large: 413 unread
        } else {
            byte[] body;
            try {
                body = hasNoBody(http) ? EMPTY
                        : readAtMost(http.getInputStream(), router.maxBodyBytes() + 1, http.getContentLengthLong());
            } catch (IOException e) {
                response = timedOut(e)
                        ? router.reject(request, 408, "request body did not arrive in time")
                        : router.reject(request, 400, "request body could not be read");
                out.setHeader("Connection", "close");
                write(response, out);
                return;
            }
            response = router.dispatch(body.length == 0 ? request : request.withOwnedBody(body));
        }
        write(response, out);
    }

    /**
     * Whether the request declares that it has no body, so that nothing need be read: a
     * {@code Content-Length} of 0, or an HTTP/1.x request with neither {@code Content-Length} nor
     * {@code Transfer-Encoding} (RFC 9112, section 6.3: its body is empty). A Klarna push and a
     * Blockonomics GET are such requests.
     */
    static boolean hasNoBody(HttpServletRequest http) {
        long declared = http.getContentLengthLong();
        return declared == 0 || declared < 0 && http.getHeader("Transfer-Encoding") == null
                && http.getProtocol() != null && http.getProtocol().startsWith("HTTP/1.");
    }

    /** Whether reading failed because the container's idle timeout ran out (a body sent slowly, or never). */
    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static void write(CallbackResponse response, HttpServletResponse out) throws IOException {
        out.setStatus(response.status());
        response.headers().asMap().forEach((name, values) -> values.forEach(value -> out.addHeader(name, value)));
        byte[] body = response.bodyWithoutCopy();
        out.setContentLength(body.length);
        if (body.length > 0) {
            out.getOutputStream().write(body);
        }
    }

    /**
     * The raw (still encoded) path below the servlet's mount point, always starting with {@code /}.
     * For a prefix mapping such as {@code /callbacks/*} the prefix is cut off at a segment
     * boundary; the router refuses anything odd that remains (e.g. {@code ;} parameters).
     */
    static String pathBelowMount(HttpServletRequest http) {
        String uri = http.getRequestURI();
        String context = http.getContextPath();
        String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        String servletPath = http.getServletPath();
        jakarta.servlet.http.HttpServletMapping mapping = http.getHttpServletMapping();
        boolean prefixMapping = mapping != null && mapping.getMappingMatch() == jakarta.servlet.http.MappingMatch.PATH;
        if (prefixMapping && servletPath != null && path.startsWith(servletPath)) {
            String rest = path.substring(servletPath.length());
            if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith(";")) {
                path = rest;
            }
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    /**
     * The request's headers, copied once. {@code getHeaders} ignores case, so a name met again in
     * another spelling already has all its values and is skipped.
     */
    private static CallbackHeaders headers(HttpServletRequest http) {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Enumeration<String> names = http.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (map.containsKey(name)) {
                continue;
            }
            List<String> values = Collections.list(http.getHeaders(name));
            if (!values.isEmpty()) {
                map.put(name, List.copyOf(values));
            }
        }
        return CallbackHeaders.owning(map);
    }

    /**
     * Reads until end of stream or {@code limit} bytes, whichever comes first. {@code declared} is
     * the request's {@code Content-Length} (-1 if none; the container ends the stream there): a
     * body-less request (a Klarna push, a Blockonomics GET) allocates nothing, and a declared
     * body is read into an array of its size, without a copy.
     */
    static byte[] readAtMost(InputStream in, int limit, long declared) throws IOException {
        int first = limit > 0 ? in.read() : -1;
        if (first < 0) {
            return EMPTY;
        }
        int expected = declared > 0 && declared <= limit ? (int) declared : Math.min(limit, 8192);
        byte[] buffer = new byte[expected];
        buffer[0] = (byte) first;
        int total = 1;
        while (total < limit && total != declared) {
            if (total == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
            }
            int read = in.read(buffer, total, buffer.length - total);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total == buffer.length ? buffer : Arrays.copyOf(buffer, total);
    }
}
