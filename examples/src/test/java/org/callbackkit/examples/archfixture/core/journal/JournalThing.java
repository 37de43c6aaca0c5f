package org.callbackkit.examples.archfixture.core.journal;

/** A fixture journal class that knows nothing. */
public class JournalThing {
}
