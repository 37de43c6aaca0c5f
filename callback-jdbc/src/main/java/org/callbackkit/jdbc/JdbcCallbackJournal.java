package org.callbackkit.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.callbackkit.core.CallbackJournal;
import org.callbackkit.core.CallbackOutcome;
import org.callbackkit.core.JournalEntry;
import org.callbackkit.core.JournalQuery;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CallbackJournal} in {@code callbackkit_journal}, shared by every node. Queries use
 * the indexes on arrival time, on (provider, kind, arrival time) and on (outcome, arrival time).
 * Entries older than the retention age, and all but the newest retention count, are deleted by
 * {@link #applyRetention()}, which a db-scheduler recurring task runs on one node at a time.
 * Times are kept to the microsecond. Thread-safe.
 */
final class JdbcCallbackJournal implements CallbackJournal {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCallbackJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, List<String>>> MULTI_MAP = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, received_at, provider, kind, outcome, status, latency_nanos,"
            + " remote_address, method, path, query_json, headers_json, body_bytes, detail";

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration maxAge;
    private final int maxEntries;

    JdbcCallbackJournal(Jdbc jdbc, Clock clock, Duration maxAge, int maxEntries) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxEntries = maxEntries;
    }

    /**
     * Records the entry; if the database fails, or failed last time, logs the entry's id and the
     * failure instead of throwing or waiting.
     */
    @Override
    public void record(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (jdbc.knownDown()) { // the callback already waited for the database once
            LOG.warn("Journal entry {} ({} {}, {}) was not recorded: the database is down", entry.id(),
                    entry.provider(), entry.kind(), entry.status());
            return;
        }
        try {
            jdbc.withConnection("record journal entry", connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO callbackkit_journal (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, entry.id());
                    Jdbc.setInstant(insert, 2, entry.receivedAt());
                    insert.setString(3, entry.provider());
                    insert.setString(4, entry.kind());
                    insert.setString(5, entry.outcome().name());
                    insert.setInt(6, entry.status());
                    insert.setLong(7, entry.latency().toNanos());
                    insert.setString(8, entry.remoteAddress());
                    insert.setString(9, entry.method());
                    insert.setString(10, entry.path());
                    insert.setString(11, toJson(entry.query()));
                    insert.setString(12, toJson(entry.headers()));
                    insert.setLong(13, entry.bodyBytes());
                    insert.setString(14, entry.detail());
                    return insert.executeUpdate();
                }
            });
        } catch (TemporarilyUnavailableException e) {
            LOG.warn("Journal entry {} ({} {}, {}) was not recorded", entry.id(), entry.provider(), entry.kind(),
                    entry.status(), e.getCause());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws TemporarilyUnavailableException if the database cannot be read
     */
    @Override
    public List<JournalEntry> find(JournalQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM callbackkit_journal WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        query.from().ifPresent(from -> {
            sql.append(" AND received_at >= ?");
            parameters.add(from);
        });
        query.to().ifPresent(to -> {
            sql.append(" AND received_at < ?");
            parameters.add(to);
        });
        query.provider().ifPresent(provider -> {
            sql.append(" AND provider = ?");
            parameters.add(provider);
        });
        query.kind().ifPresent(kind -> {
            sql.append(" AND kind = ?");
            parameters.add(kind);
        });
        if (!query.outcomes().isEmpty()) {
            sql.append(" AND outcome IN (").append(String.join(", ", Collections.nCopies(query.outcomes().size(), "?")))
                    .append(')');
            query.outcomes().stream().map(Enum::name).sorted().forEach(parameters::add);
        }
        sql.append(" ORDER BY received_at DESC, seq DESC LIMIT ?");
        parameters.add(query.limit());
        return jdbc.withConnection("find journal entries", connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    Object value = parameters.get(i);
                    if (value instanceof Instant instant) {
                        Jdbc.setInstant(select, i + 1, instant);
                    } else {
                        select.setObject(i + 1, value);
                    }
                }
                List<JournalEntry> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(entry(rows));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Deletes entries received before the retention age and all but the newest retention count;
     * returns how many were deleted.
     */
    int applyRetention() {
        return jdbc.withConnection("apply journal retention", connection -> {
            int deleted;
            try (PreparedStatement byAge = connection.prepareStatement(
                    "DELETE FROM callbackkit_journal WHERE received_at < ?")) {
                Jdbc.setInstant(byAge, 1, clock.instant().minus(maxAge));
                deleted = byAge.executeUpdate();
            }
            try (PreparedStatement byCount = connection.prepareStatement("DELETE FROM callbackkit_journal WHERE seq <="
                    + " (SELECT seq FROM callbackkit_journal ORDER BY seq DESC LIMIT 1 OFFSET ?)")) {
                byCount.setInt(1, maxEntries);
                deleted += byCount.executeUpdate();
            }
            if (deleted > 0) {
                LOG.info("Journal retention deleted {} entries (older than {} or beyond the newest {})", deleted, maxAge,
                        maxEntries);
            }
            return deleted;
        });
    }

    private static JournalEntry entry(ResultSet row) throws SQLException {
        return new JournalEntry(
                row.getString("id"),
                Jdbc.getInstant(row, "received_at"),
                row.getString("provider"),
                row.getString("kind"),
                CallbackOutcome.valueOf(row.getString("outcome")),
                row.getInt("status"),
                Duration.ofNanos(row.getLong("latency_nanos")),
                row.getString("remote_address"),
                row.getString("method"),
                row.getString("path"),
                fromJson(row.getString("query_json")),
                fromJson(row.getString("headers_json")),
                row.getLong("body_bytes"),
                row.getString("detail"));
    }

    private static String toJson(Map<String, List<String>> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> fromJson(String json) {
        try {
            return JSON.readValue(json, MULTI_MAP);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
