package org.callbackkit.spring;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may see the journal page. Declare one as a bean (or set {@code callbackkit.journal.role})
 * and the starter mounts the page at {@code callbackkit.journal.path}; without either it is not
 * mounted, since it shows customer data.
 */
@FunctionalInterface
public interface CallbackJournalAuthorization {

    /** Whether {@code request} may see the journal page; false is answered 403. */
    boolean mayView(HttpServletRequest request);
}
