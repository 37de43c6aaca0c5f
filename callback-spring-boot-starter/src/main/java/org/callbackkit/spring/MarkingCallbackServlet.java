package org.callbackkit.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;

/**
 * The callback servlet, marking each request it took, so that {@link CallbackErrorFilter} knows
 * the router already journaled it when the container then dispatches an error for it.
 */
final class MarkingCallbackServlet extends CallbackServlet {

    private static final long serialVersionUID = 1L;

    /** The request attribute set once the router has journaled the request. */
    static final String JOURNALED = MarkingCallbackServlet.class.getName() + ".journaled";

    MarkingCallbackServlet(CallbackRouter router) {
        super(router);
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse out) throws IOException {
        http.setAttribute(JOURNALED, Boolean.TRUE);
        super.service(http, out);
    }
}
