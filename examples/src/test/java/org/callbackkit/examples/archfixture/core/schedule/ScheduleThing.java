package org.callbackkit.examples.archfixture.core.schedule;

import org.callbackkit.examples.archfixture.core.CoreThing;
import org.callbackkit.examples.archfixture.core.journal.JournalThing;

/** A fixture scheduler class that knows the journal (forbidden) and core's root (allowed). */
public class ScheduleThing {
    JournalThing journal;
    CoreThing root;
}
