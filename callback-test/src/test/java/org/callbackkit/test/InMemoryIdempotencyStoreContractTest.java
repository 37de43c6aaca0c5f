package org.callbackkit.test;

import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.InMemoryIdempotencyStore;

class InMemoryIdempotencyStoreContractTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        return new InMemoryIdempotencyStore();
    }
}
