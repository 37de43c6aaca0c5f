package org.callbackkit.core.state;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A {@link StateStore} in memory: one lock per key within this JVM, thread-safe, unbounded (one
 * document per order seen), kept until the JVM ends. Lost on restart: a shop that must not lose
 * it uses the durable store of callback-jdbc. Also the fake for tests (inspect it with
 * {@link #find}).
 */
public final class InMemoryStateStore implements StateStore {

    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final KeyedLocks locks = new InMemoryKeyedLocks();

    /** An empty store. */
    public InMemoryStateStore() {
    }

    @Override
    public String update(String scope, String key, Function<Optional<String>, String> update) {
        String id = compositeKey(scope, key);
        Objects.requireNonNull(update, "update");
        return locks.withLock(id, () -> {
            String after = Objects.requireNonNull(update.apply(Optional.ofNullable(documents.get(id))),
                    "update returned null");
            documents.put(id, after);
            return after;
        });
    }

    @Override
    public Optional<String> find(String scope, String key) {
        return Optional.ofNullable(documents.get(compositeKey(scope, key)));
    }

    /** How many documents are stored, in all scopes. */
    public int size() {
        return documents.size();
    }

    private static String compositeKey(String scope, String key) {
        if (scope == null || scope.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("scope and key must not be blank");
        }
        // The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
        return scope.length() + ":" + scope + ":" + key;
    }
}
