package org.callbackkit.core.state;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@link KeyedLocks} within one JVM: a lock per key, created on first use and dropped when its
 * last user leaves, so memory does not grow with the number of orders ever seen. Thread-safe.
 */
public final class InMemoryKeyedLocks implements KeyedLocks {

    private final Map<String, Holder> locks = new ConcurrentHashMap<>();

    /** Locks with no key held. */
    public InMemoryKeyedLocks() {
    }

    @Override
    public <T> T withLock(String key, Supplier<T> work) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        Objects.requireNonNull(work, "work");
        // Users are counted inside compute, which is atomic per key, so a lock is removed only
        // when nobody holds or waits for it.
        Holder holder = locks.compute(key, (k, existing) -> {
            Holder h = existing == null ? new Holder() : existing;
            h.users++;
            return h;
        });
        try {
            holder.lock.lock();
            try {
                return work.get();
            } finally {
                holder.lock.unlock();
            }
        } finally {
            locks.computeIfPresent(key, (k, h) -> --h.users == 0 ? null : h);
        }
    }

    /** How many keys are held or waited for now. */
    public int activeKeys() {
        return locks.size();
    }

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }
}
