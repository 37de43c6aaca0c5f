package org.callbackkit.examples.archfixture.core;

import jakarta.servlet.http.HttpServletRequest;
import org.callbackkit.examples.archfixture.alpha.Alpha;

/** A fixture "core" class that knows a provider and the servlet API: both forbidden. */
public class CoreThing {
    Alpha alpha;
    HttpServletRequest request;
}
