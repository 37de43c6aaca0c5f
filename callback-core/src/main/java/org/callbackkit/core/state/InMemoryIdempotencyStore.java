package org.callbackkit.core.state;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link IdempotencyStore} in memory: thread-safe, kept until the JVM ends, and unbounded
 * (one small entry per order or transaction done). Lost on restart: a shop that must not lose it
 * uses the durable store of callback-jdbc.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private final Map<String, Instant> done = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryIdempotencyStore() {
    }

    @Override
    public boolean markDone(String scope, String key, Instant at) {
        Objects.requireNonNull(at, "at");
        return done.putIfAbsent(compositeKey(scope, key), at) == null;
    }

    @Override
    public Optional<Instant> doneAt(String scope, String key) {
        return Optional.ofNullable(done.get(compositeKey(scope, key)));
    }

    /** How many keys are marked done, in all scopes. */
    public int size() {
        return done.size();
    }

    private static String compositeKey(String scope, String key) {
        if (scope == null || scope.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("scope and key must not be blank");
        }
        // The length prefix keeps ("a:b", "c") and ("a", "b:c") apart.
        return scope.length() + ":" + scope + ":" + key;
    }
}
