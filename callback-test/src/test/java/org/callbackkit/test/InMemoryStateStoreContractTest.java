package org.callbackkit.test;

import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;

class InMemoryStateStoreContractTest extends StateStoreContract {

    @Override
    protected StateStore createStore() {
        return new InMemoryStateStore();
    }
}
