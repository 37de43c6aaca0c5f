package org.callbackkit.core.state;

import java.util.Optional;
import java.util.function.Function;
import org.callbackkit.core.TemporarilyUnavailableException;

/**
 * Durable state per key: one text document (JSON by convention; the store does not parse it) per
 * (scope, key), read and replaced under that key's lock. Where an {@link IdempotencyStore}
 * remembers that something was done, this remembers what a provider module knows about one order,
 * for example which Blockonomics transactions were counted. Scopes keep modules sharing one
 * store apart (for example {@code "blockonomics.payments"}).
 *
 * <p>{@link #update} is atomic per key: while one update of a key runs, no other update of that
 * key runs, on any node sharing the store, so no update is lost and each stored document was
 * computed from the one it replaces. Updates of different keys run in parallel. Implementations
 * are thread-safe; {@link InMemoryStateStore} keeps the documents for the life of the JVM, the
 * durable one of callback-jdbc in the database.
 */
public interface StateStore {

    /**
     * Applies {@code update} to the document under {@code key} in {@code scope} (empty when there
     * is none yet) while no other update of the same scope and key runs, stores what it returns,
     * and returns that. If {@code update} throws, nothing is stored and the exception propagates.
     * {@code update} may have side effects (they happen while the key is locked), but must not
     * update the same scope and key itself: a database store would wait for itself.
     *
     * <p>{@code update} is called once per call, or again only when a durable store had to run its
     * transaction again after losing a race; what the earlier call returned was then not stored.
     * When a durable store cannot store the result after {@code update} returned, the call throws
     * and nothing is stored, so side effects of {@code update} must be safe to repeat.
     *
     * @return the document stored
     * @throws IllegalArgumentException if scope or key is blank, or longer than the store keeps
     * @throws NullPointerException if {@code update} is null or returns null
     * @throws TemporarilyUnavailableException if a durable store cannot be reached or cannot commit
     * @throws RuntimeException whatever {@code update} threw
     */
    String update(String scope, String key, Function<Optional<String>, String> update);

    /**
     * The document under {@code key} in {@code scope}, as last stored, or empty if none was.
     *
     * @throws IllegalArgumentException if scope or key is blank
     * @throws TemporarilyUnavailableException if a durable store cannot be reached
     */
    Optional<String> find(String scope, String key);
}
