package org.callbackkit.examples.archfixture.core.diagnose;

/** A fixture diagnosis class that knows nothing. */
public class DiagnoseThing {
}
