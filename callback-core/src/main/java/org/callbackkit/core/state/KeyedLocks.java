package org.callbackkit.core.state;

import java.util.function.Supplier;

/**
 * Runs work for one key (an order) at a time: how the shopper's browser confirmation and a
 * provider's delayed callback action are kept from both marking an order paid. Work for
 * different keys runs in parallel.
 *
 * <p>{@link InMemoryKeyedLocks} serialises within one JVM. Shops running several nodes also need
 * the check inside the work to be idempotent (an "already paid" test in the host, or an
 * {@link IdempotencyStore} shared by the nodes), which every provider module does anyway.
 */
public interface KeyedLocks {

    /**
     * Runs {@code work} while holding the lock of {@code key}, waiting for it as long as it takes;
     * reentrant for the thread that holds it.
     *
     * @return what {@code work} returned
     * @throws IllegalArgumentException if key is blank
     * @throws RuntimeException whatever {@code work} threw, after releasing the lock
     */
    <T> T withLock(String key, Supplier<T> work);
}
