package org.callbackkit.examples.archfixture.core.journal;

import jakarta.servlet.http.HttpServlet;

/** The fixture's journal page servlet: the other core class allowed to touch the servlet API. */
public class JournalServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
}
