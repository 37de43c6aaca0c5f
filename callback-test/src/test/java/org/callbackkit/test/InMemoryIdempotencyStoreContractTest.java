package org.callbackkit.test;

import org.callbackkit.core.IdempotencyStore;
import org.callbackkit.core.InMemoryIdempotencyStore;

class InMemoryIdempotencyStoreContractTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore createStore() {
        return new InMemoryIdempotencyStore();
    }
}
