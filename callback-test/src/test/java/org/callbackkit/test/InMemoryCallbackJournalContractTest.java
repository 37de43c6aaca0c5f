package org.callbackkit.test;

import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;

class InMemoryCallbackJournalContractTest extends CallbackJournalContract {

    @Override
    protected CallbackJournal createJournal() {
        return new InMemoryCallbackJournal();
    }
}
