package org.callbackkit.test;

import org.callbackkit.core.InMemoryStateStore;
import org.callbackkit.core.StateStore;

class InMemoryStateStoreContractTest extends StateStoreContract {

    @Override
    protected StateStore createStore() {
        return new InMemoryStateStore();
    }
}
