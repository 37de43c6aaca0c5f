package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.callbackkit.core.state.InMemoryKeyedLocks;
import org.callbackkit.core.state.KeyedLocks;
import org.callbackkit.core.state.StateStore;

/**
 * A {@link StateStore} in {@code callbackkit_state}, primary key (scope, key), with a version that
 * grows by one with every update. Scope and key have the idempotency store's limits. Thread-safe.
 *
 * <p><b>PostgreSQL</b> (many nodes): one transaction holds the row's lock while the update runs.
 * It inserts the row if absent (version 0, which waits for a concurrent insert of the same key to
 * commit or roll back), locks it with {@code SELECT ... FOR UPDATE}, applies the update and
 * writes the result; an update of the same key on any node waits for the lock. The update runs
 * holding one connection of the pool: an update that uses the same pool needs a second one.
 *
 * <p><b>SQLite</b> (one node; {@link JdbcCallbackStore#sqlite} has one connection): holding that
 * connection, or the file's write lock, while the update runs would stop every other statement of
 * the store, and an update that uses the database (a listener marking the order paid in the
 * shop's own tables) would wait for itself. So the updates of a key take turns in this JVM, the
 * update runs with no connection and no lock held, and its result is written only if the row's
 * version is still the one read (or, for a new key, only if no row was inserted meanwhile). That
 * write is a compare-and-set under SQLite's write lock, so it stays correct if another store or
 * another process writes the same file: the update then runs again on the newer document. The
 * turns in the JVM only spare those runs; they are not what makes it correct.
 */
final class JdbcStateStore implements StateStore {

    /** A stored document and its version; version 0 is a row this transaction inserted to lock it. */
    private record Versioned(String document, long version) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final KeyedLocks locks = new InMemoryKeyedLocks();

    JdbcStateStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if the scope is over {@value JdbcIdempotencyStore#MAX_SCOPE_CHARS}
     *     or the key over {@value JdbcIdempotencyStore#MAX_KEY_CHARS} characters
     */
    @Override
    public String update(String scope, String key, Function<Optional<String>, String> update) {
        JdbcIdempotencyStore.validate(scope, key);
        Objects.requireNonNull(update, "update");
        return jdbc.dialect() == Dialect.POSTGRESQL ? updateHoldingTheRowLock(scope, key, update)
                : locks.withLock(scope.length() + ":" + scope + ":" + key, () -> updateIfUnchanged(scope, key, update));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<String> find(String scope, String key) {
        JdbcIdempotencyStore.validate(scope, key);
        return jdbc.withConnection("read " + scope + " state",
                connection -> select(connection, scope, key, false).map(Versioned::document));
    }

    private String updateHoldingTheRowLock(String scope, String key, Function<Optional<String>, String> update) {
        return jdbc.inTransaction("update " + scope + " state", connection -> {
            insertIfAbsent(connection, scope, key, "", 0);
            Versioned current = select(connection, scope, key, true)
                    .orElseThrow(() -> new SQLException("the state row of this key is gone", "40001"));
            String after = apply(update, current.version() == 0 ? Optional.empty() : Optional.of(current.document()));
            if (!write(connection, scope, key, after, current.version())) {
                throw new SQLException("the locked state row changed", "40001");
            }
            return after;
        });
    }

    private String updateIfUnchanged(String scope, String key, Function<Optional<String>, String> update) {
        while (true) {
            Optional<Versioned> current = jdbc.withConnection("read " + scope + " state",
                    connection -> select(connection, scope, key, false));
            String after = apply(update, current.map(Versioned::document));
            boolean stored = jdbc.inTransaction("update " + scope + " state", connection -> current.isPresent()
                    ? write(connection, scope, key, after, current.get().version())
                    : insertIfAbsent(connection, scope, key, after, 1));
            if (stored) {
                return after;
            }
            // another writer stored an update of this key meanwhile: apply this one to its result
        }
    }

    private static String apply(Function<Optional<String>, String> update, Optional<String> before) {
        return Objects.requireNonNull(update.apply(before), "update returned null");
    }

    /** The row of (scope, key) if any; with {@code lock}, locked until the transaction ends. */
    private Optional<Versioned> select(Connection connection, String scope, String key, boolean lock)
            throws SQLException {
        Dialect dialect = jdbc.dialect();
        try (PreparedStatement select = connection.prepareStatement("SELECT document, version FROM callbackkit_state"
                + " WHERE scope = ? AND state_key = ?" + (lock ? dialect.forUpdate() : " AND version > 0"))) {
            select.setString(1, scope);
            select.setString(2, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Versioned(row.getString(1), row.getLong(2))) : Optional.empty();
            }
        }
    }

    /** Replaces the document if the row is still at {@code version}; whether it was. */
    private boolean write(Connection connection, String scope, String key, String document, long version)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE callbackkit_state"
                + " SET document = ?, version = ?, updated_at = ? WHERE scope = ? AND state_key = ? AND version = ?")) {
            update.setString(1, document);
            update.setLong(2, version + 1);
            jdbc.dialect().setInstant(update, 3, clock.instant());
            update.setString(4, scope);
            update.setString(5, key);
            update.setLong(6, version);
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Inserts the row of (scope, key) at {@code version} unless there is one; false if there was.
     * {@code ON CONFLICT DO NOTHING}: on PostgreSQL it waits for a concurrent insert of the key to
     * end, and it aborts nothing.
     */
    private boolean insertIfAbsent(Connection connection, String scope, String key, String document, long version)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO callbackkit_state (scope, state_key, document, version, updated_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, scope);
            insert.setString(2, key);
            insert.setString(3, document);
            insert.setLong(4, version);
            jdbc.dialect().setInstant(insert, 5, clock.instant());
            return insert.executeUpdate() == 1;
        }
    }
}
