package org.callbackkit.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * On the container's error dispatch (Boot's {@code /error} page) for a request below the mount
 * path, answers with the library's JSON instead of Spring's error page, and journals the request
 * unless the callback servlet already did. Tomcat takes this path when a body stops arriving: the
 * servlet journals and answers 408, but Tomcat has already called {@code sendError(408)}, which
 * discards that answer and dispatches to {@code /error} (where the application's security would
 * also answer 401). Registered for ERROR dispatches only, ahead of Spring Security's filter.
 */
final class CallbackErrorFilter implements Filter {

    private final Refusals refusals;

    CallbackErrorFilter(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
                && refusals.isCallback(http.getContextPath(), uri)) {
            int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
            String reason = status == 408 ? "request body did not arrive in time" : "refused by the server (" + status + ")";
            if (Boolean.TRUE.equals(request.getAttribute(MarkingCallbackServlet.JOURNALED))) {
                Refusals.write(Refusals.answer(status, reason), out);
            } else {
                Refusals.write(refusals.journal(http, status, reason), out);
            }
            return;
        }
        chain.doFilter(request, response);
    }
}
