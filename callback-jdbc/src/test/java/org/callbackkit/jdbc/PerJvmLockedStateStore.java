package org.callbackkit.jdbc;

import java.util.Optional;
import java.util.function.Function;
import org.callbackkit.core.state.InMemoryKeyedLocks;
import org.callbackkit.core.state.KeyedLocks;
import org.callbackkit.core.state.StateStore;

/**
 * The guard the provider modules had before the reconciliation engine, wired in deliberately to
 * show that the multi-node test catches it: a lock per JVM around check (read), act (the update,
 * with its listener), record (write). Two nodes each hold their own lock, so both can read "not
 * settled" and both tell the shop. Never use it outside that test.
 */
final class PerJvmLockedStateStore implements StateStore {

    private final StateStore shared;
    private final KeyedLocks locks = new InMemoryKeyedLocks();

    PerJvmLockedStateStore(StateStore shared) {
        this.shared = shared;
    }

    @Override
    public String update(String scope, String key, Function<Optional<String>, String> update) {
        return locks.withLock(scope + "\n" + key, () -> {
            String after = update.apply(shared.find(scope, key));
            return shared.update(scope, key, ignored -> after);
        });
    }

    @Override
    public Optional<String> find(String scope, String key) {
        return shared.find(scope, key);
    }
}
