package org.callbackkit.core.state;

import java.time.Instant;
import java.util.Optional;
import org.callbackkit.core.TemporarilyUnavailableException;

/**
 * Remembers what was already done, so that a callback delivered many times has its effect once:
 * a Klarna order acknowledged, an Ecster order reported paid, a bitcoin transaction counted.
 * Keys live in a scope (for example {@code "klarna.acknowledged"}), so modules sharing one store
 * never collide.
 *
 * <p>{@link #markDone} is atomic: of many callers marking one key, exactly one is told it was
 * first. Implementations are thread-safe; a durable one (callback-jdbc) shares the answer between
 * shop nodes and restarts, the {@link InMemoryIdempotencyStore} keeps it for the life of the JVM.
 */
public interface IdempotencyStore {

    /**
     * Records {@code key} in {@code scope} as done at {@code at}, unless it already is.
     *
     * @return true if this call recorded it, false if it was already done
     * @throws IllegalArgumentException if scope or key is blank
     * @throws TemporarilyUnavailableException if a durable store cannot be reached
     */
    boolean markDone(String scope, String key, Instant at);

    /**
     * When {@code key} in {@code scope} was marked done, or empty if it was not.
     *
     * @throws TemporarilyUnavailableException if a durable store cannot be reached
     */
    Optional<Instant> doneAt(String scope, String key);

    /** Whether {@code key} in {@code scope} was marked done. */
    default boolean isDone(String scope, String key) {
        return doneAt(scope, key).isPresent();
    }
}
