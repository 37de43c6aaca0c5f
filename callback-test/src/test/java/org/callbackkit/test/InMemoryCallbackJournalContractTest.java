package org.callbackkit.test;

import org.callbackkit.core.CallbackJournal;
import org.callbackkit.core.InMemoryCallbackJournal;

class InMemoryCallbackJournalContractTest extends CallbackJournalContract {

    @Override
    protected CallbackJournal createJournal() {
        return new InMemoryCallbackJournal();
    }
}
