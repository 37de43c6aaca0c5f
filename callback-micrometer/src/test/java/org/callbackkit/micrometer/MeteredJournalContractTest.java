package org.callbackkit.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.test.CallbackJournalContract;

/** The metered journal keeps every promise of the journal it decorates. */
class MeteredJournalContractTest extends CallbackJournalContract {

    @Override
    protected CallbackJournal createJournal() {
        return new CallbackMetrics(new SimpleMeterRegistry()).journal(new InMemoryCallbackJournal());
    }
}
