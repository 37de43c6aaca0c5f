package org.callbackkit.examples.archfixture.core.intake;

import org.callbackkit.examples.archfixture.core.diagnose.DiagnoseThing;
import org.callbackkit.examples.archfixture.core.journal.JournalThing;
import org.callbackkit.examples.archfixture.core.reconcile.ReconcileThing;

/**
 * A fixture intake class that knows the reconciliation engine and the diagnosis (both forbidden)
 * and the journal (allowed: the router journals every request).
 */
public class IntakeThing {
    ReconcileThing engine;
    DiagnoseThing diagnosis;
    JournalThing journal;
}
