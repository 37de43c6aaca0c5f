package org.callbackkit.examples.archfixture.core.intake;

import jakarta.servlet.http.HttpServlet;

/** The fixture's servlet adapter: the one core class allowed to touch the servlet API. */
public class CallbackServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
}
