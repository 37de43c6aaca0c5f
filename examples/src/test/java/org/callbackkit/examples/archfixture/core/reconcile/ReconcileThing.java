package org.callbackkit.examples.archfixture.core.reconcile;

import org.callbackkit.examples.archfixture.core.diagnose.DiagnoseThing;
import org.callbackkit.examples.archfixture.core.journal.JournalThing;
import org.callbackkit.examples.archfixture.core.schedule.ScheduleThing;
import org.callbackkit.examples.archfixture.core.state.StateThing;

/**
 * A fixture engine class that knows the journal and the diagnosis (both forbidden) and the
 * scheduler and the state store (allowed: the engine is built on them).
 */
public class ReconcileThing {
    JournalThing journal;
    DiagnoseThing diagnosis;
    ScheduleThing scheduler;
    StateThing state;
}
