package org.callbackkit.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.state.IdempotencyStore;

/**
 * An {@link IdempotencyStore} in {@code callbackkit_idempotency}, primary key (scope, key): the
 * insert is the decision, so exactly one caller is first on every node. The insert is
 * {@code ON CONFLICT DO NOTHING} (PostgreSQL and SQLite): a duplicate is no error, so nothing
 * aborts and nothing is logged by the server. Thread-safe.
 */
final class JdbcIdempotencyStore implements IdempotencyStore {

    /** The longest scope kept. */
    static final int MAX_SCOPE_CHARS = 200;
    /** The longest key kept. */
    static final int MAX_KEY_CHARS = 500;

    /** Inserts (scope, key, done_at) unless present: 1 row if inserted, 0 if present. */
    private static final String INSERT = "INSERT INTO callbackkit_idempotency (scope, idem_key, done_at)"
            + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private final Jdbc jdbc;

    JdbcIdempotencyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also if the scope is over {@value #MAX_SCOPE_CHARS} or the key over
     *     {@value #MAX_KEY_CHARS} characters
     */
    @Override
    public boolean markDone(String scope, String key, Instant at) {
        validate(scope, key);
        Objects.requireNonNull(at, "at");
        return jdbc.inTransaction("mark " + scope + " done", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, scope);
                insert.setString(2, key);
                jdbc.dialect().setInstant(insert, 3, at);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public Optional<Instant> doneAt(String scope, String key) {
        validate(scope, key);
        return jdbc.withConnection("read " + scope, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT done_at FROM callbackkit_idempotency WHERE scope = ? AND idem_key = ?")) {
                select.setString(1, scope);
                select.setString(2, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(jdbc.dialect().getInstant(row, "done_at")) : Optional.empty();
                }
            }
        });
    }

    /**
     * Checks a scope and key, here and in the {@link JdbcStateStore}.
     *
     * @throws IllegalArgumentException if either is blank or too long
     */
    static void validate(String scope, String key) {
        if (scope == null || scope.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("scope and key must not be blank");
        }
        if (scope.length() > MAX_SCOPE_CHARS || key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("scope is at most " + MAX_SCOPE_CHARS + " and key at most "
                    + MAX_KEY_CHARS + " characters");
        }
    }
}
