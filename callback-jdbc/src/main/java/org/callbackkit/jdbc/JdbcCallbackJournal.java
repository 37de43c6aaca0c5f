package org.callbackkit.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CallbackJournal} in {@code callbackkit_journal}, shared by every node. Queries use
 * the indexes on arrival time, on (provider, kind, arrival time), on (outcome, arrival time), on
 * id, and, to find by order reference, {@code callbackkit_journal_references} (one row per
 * reference and entry, keyed by the reference). Pages are ordered by arrival time, then by
 * recording order ({@code seq}); a cursor's id finds its entry's {@code seq}.
 * The provider modules' API calls and action runs ({@link OrderActivity}) are kept in
 * {@code callbackkit_order_activity}, indexed by order reference and time.
 * Entries and activity older than the retention age, and all but the newest retention count of
 * each, are deleted by {@link #applyRetention()}, which a db-scheduler recurring task runs on one
 * node at a time, in batches of {@value #RETENTION_BATCH} entries per transaction.
 * An entry is written before {@link #record} returns, in a transaction shared with other
 * callbacks' writes (one commit for all, see {@link Jdbc#inSharedTransaction}); on PostgreSQL in
 * one round trip.
 * Times are kept to the microsecond on PostgreSQL, to the millisecond on SQLite. While the database is unavailable, entries wait in a bounded
 * spool in memory and are written, in order and once each, when it returns ({@link #flush()}).
 * Thread-safe.
 */
final class JdbcCallbackJournal implements CallbackJournal {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCallbackJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, List<String>>> MULTI_MAP = new TypeReference<>() {
    };
    /** Spooled entries written per transaction. */
    static final int FLUSH_BATCH = 100;
    /**
     * Entries the retention deletes per transaction: each holds SQLite's one write lock (and on
     * PostgreSQL its row locks) for milliseconds, so callbacks keep being acknowledged meanwhile;
     * after each full batch the retention waits as long as the batch took, so it never takes more
     * than half of the database's time from them.
     */
    static final int RETENTION_BATCH = 500;
    private static final String COLUMNS = "id, received_at, provider, kind, outcome, status, latency_nanos,"
            + " remote_address, method, path, query_json, headers_json, body_bytes, detail, order_references, probe,"
            + " masked_fingerprints, answer_headers_json, answer_body, answer_body_bytes";
    private static final String INSERT_ENTRY = "INSERT INTO callbackkit_journal (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_REFERENCE = "INSERT INTO callbackkit_journal_references"
            + " (reference, received_at, entry_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String ACTIVITY_COLUMNS = "order_reference, at, kind, source, subject, attempt, result, error,"
            + " duration_nanos, next_attempt";
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> FINGERPRINTS = new TypeReference<>() {
    };

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration maxAge;
    private final int maxEntries;
    private final int spoolCapacity;
    private final Deque<JournalEntry> spool = new ArrayDeque<>(); // guarded by itself
    private final ReentrantLock flushing = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong activityLost = new AtomicLong();

    JdbcCallbackJournal(Jdbc jdbc, Clock clock, Duration maxAge, int maxEntries, int spoolCapacity) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxEntries = maxEntries;
        this.spoolCapacity = spoolCapacity;
    }

    /**
     * Records the entry. While the database cannot take it (it failed, or failed last time and has
     * not answered since), or older entries still wait, the entry waits in memory instead, up to
     * the spool capacity, and {@link #flush()} writes it when the database returns; past the
     * capacity it is dropped and counted ({@link #dropped()}). Never throws for the database and
     * never waits for it more than the store's connection wait.
     */
    @Override
    public void record(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (spooled() == 0 && !jdbc.knownDown()) { // else the callback already waited for the database once
            try {
                // one transaction (shared with other callbacks' writes): an entry is written whole or not at
                // all, so that a retry from the spool never meets half of it
                jdbc.inSharedTransaction("record journal entry", connection -> insert(connection, jdbc.dialect(), entry),
                        jdbc.dialect() == Dialect.POSTGRESQL); // there one multi-statement, all or nothing alone
                return;
            } catch (TemporarilyUnavailableException e) {
                spool(entry, e.getMessage());
                return;
            }
        }
        spool(entry, "it failed a moment ago");
    }

    /** Keeps {@code entry} behind those already waiting, or drops and counts it when the spool is full. */
    private void spool(JournalEntry entry, String why) {
        synchronized (spool) {
            if (spool.size() < spoolCapacity) {
                if (spool.isEmpty()) {
                    LOG.warn("Journal: the database cannot take entries ({}); keeping up to {} in memory until it"
                            + " returns", why, spoolCapacity);
                }
                spool.addLast(entry);
                return;
            }
        }
        long lost = dropped.incrementAndGet();
        if ((lost & (lost - 1)) == 0) { // 1, 2, 4, 8...: every outage is seen, no flood
            LOG.error("Journal entry {} ({} {}, {}) is lost: {} entries already wait for the database; {} lost"
                    + " since start", entry.id(), entry.provider(), entry.kind(), entry.status(), spoolCapacity, lost);
        }
    }

    /**
     * Writes the entries that waited in memory, oldest first, in transactions of up to
     * {@value #FLUSH_BATCH}, each one unless it is already there (a commit whose answer was lost),
     * until none is left or the database fails; returns how many were written. Does nothing while
     * another thread flushes.
     */
    int flush() {
        if (!flushing.tryLock()) {
            return 0;
        }
        int written = 0;
        try {
            while (true) {
                List<JournalEntry> batch;
                synchronized (spool) {
                    batch = spool.stream().limit(FLUSH_BATCH).toList();
                }
                if (batch.isEmpty()) {
                    break;
                }
                jdbc.inTransaction("record journal entries kept in memory", connection -> {
                    for (JournalEntry entry : batch) {
                        if (!recorded(connection, entry)) {
                            insert(connection, jdbc.dialect(), entry);
                        }
                    }
                    return null;
                });
                synchronized (spool) { // only this thread takes from the head
                    for (int i = 0; i < batch.size(); i++) {
                        spool.removeFirst();
                    }
                }
                written += batch.size();
            }
        } catch (TemporarilyUnavailableException e) {
            LOG.debug("Journal: the database still cannot take the entries kept in memory", e);
        } finally {
            flushing.unlock();
        }
        if (written > 0) {
            LOG.info("Journal: {} entries kept in memory while the database was unavailable are recorded", written);
        }
        return written;
    }

    /** Entries waiting in memory for the database. */
    int spooled() {
        synchronized (spool) {
            return spool.size();
        }
    }

    /** Entries dropped since start because the spool was full. */
    @Override
    public long dropped() {
        return dropped.get();
    }

    private boolean recorded(Connection connection, JournalEntry entry) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM callbackkit_journal WHERE received_at = ? AND id = ?")) { // the arrival index
            jdbc.dialect().setInstant(select, 1, entry.receivedAt());
            select.setString(2, entry.id());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * Inserts {@code entry} as one row, and a row per order reference, its time bound as
     * {@code dialect} binds times; returns the entry rows inserted (1). Call it in a transaction.
     * A reference row already there (left by a partial write of an older version) is no error.
     * On PostgreSQL, one multi-statement: one round trip.
     */
    static int insert(Connection connection, Dialect dialect, JournalEntry entry) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) { // sqlite-jdbc prepares one statement at a time
            try (PreparedStatement insert = connection.prepareStatement(INSERT_ENTRY
                    + ";" + (" " + INSERT_REFERENCE + ";").repeat(entry.orderReferences().size()))) {
                int next = bindEntry(insert, dialect, entry);
                for (String reference : entry.orderReferences()) {
                    next = bindReference(insert, next, dialect, entry, reference);
                }
                insert.execute();
                return insert.getUpdateCount(); // the entry's; the references' come next
            }
        }
        int inserted;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ENTRY)) {
            bindEntry(insert, dialect, entry);
            inserted = insert.executeUpdate();
        }
        for (String reference : entry.orderReferences()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_REFERENCE)) {
                bindReference(insert, 1, dialect, entry, reference);
                insert.executeUpdate();
            }
        }
        return inserted;
    }

    /** Binds {@link #INSERT_ENTRY}'s parameters from the first; returns the index after the last. */
    private static int bindEntry(PreparedStatement insert, Dialect dialect, JournalEntry entry) throws SQLException {
        insert.setString(1, entry.id());
        dialect.setInstant(insert, 2, entry.receivedAt());
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
        insert.setString(15, toJson(entry.orderReferences()));
        insert.setInt(16, entry.probe() ? 1 : 0);
        insert.setString(17, toJson(entry.maskedFingerprints()));
        insert.setString(18, toJson(entry.answer().headers()));
        insert.setString(19, entry.answer().bodyStart());
        insert.setLong(20, entry.answer().bodyBytes());
        return 21;
    }

    /** Binds {@link #INSERT_REFERENCE}'s parameters from {@code first}; returns the index after the last. */
    private static int bindReference(PreparedStatement insert, int first, Dialect dialect, JournalEntry entry,
            String reference) throws SQLException {
        insert.setString(first, reference);
        dialect.setInstant(insert, first + 1, entry.receivedAt());
        insert.setString(first + 2, entry.id());
        return first + 3;
    }

    /** A statement and its parameters, in order; an {@link Instant} is bound as the dialect binds times. */
    record Select(String sql, List<Object> parameters) {
        /** Binds the parameters to {@code statement}, prepared from {@link #sql()}. */
        void bind(PreparedStatement statement, Dialect dialect) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof Instant instant) {
                    dialect.setInstant(statement, i + 1, instant);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
        }
    }

    /** The statement {@link #find} runs for {@code query}; also what the benchmarks explain. */
    static Select select(JournalQuery query) {
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
        if (query.statusFrom() > 100 || query.statusTo() < 600) {
            sql.append(" AND status >= ? AND status < ?");
            parameters.add(query.statusFrom());
            parameters.add(query.statusTo());
        }
        query.orderReference().ifPresent(reference -> {
            sql.append(" AND id IN (SELECT entry_id FROM callbackkit_journal_references WHERE reference = ?)");
            parameters.add(reference);
        });
        query.id().ifPresent(id -> {
            sql.append(" AND id = ?");
            parameters.add(id);
        });
        if (!query.probes()) {
            sql.append(" AND probe = 0");
        }
        query.olderThan().ifPresent(cursor -> {
            // after the cursor's entry; if retention deleted it, after its whole instant (seq < NULL)
            sql.append(" AND (received_at < ? OR (received_at = ? AND seq < (SELECT MAX(seq) FROM callbackkit_journal"
                    + " WHERE id = ?)))");
            parameters.add(cursor.receivedAt());
            parameters.add(cursor.receivedAt());
            parameters.add(cursor.id());
        });
        sql.append(" ORDER BY received_at DESC, seq DESC LIMIT ?");
        parameters.add(query.limit());
        return new Select(sql.toString(), parameters);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TemporarilyUnavailableException if the database cannot be read
     */
    @Override
    public List<JournalEntry> find(JournalQuery query) {
        Select statement = select(query);
        return jdbc.withConnection("find journal entries", connection -> {
            try (PreparedStatement select = connection.prepareStatement(statement.sql())) {
                statement.bind(select, jdbc.dialect());
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
     * Records the call or run in {@code callbackkit_order_activity}. Unlike an entry it does not
     * wait in memory while the database is unavailable: it is logged and dropped then (the calls
     * and runs during an outage fail or wait themselves, and their actions keep their last error).
     * Never throws for the database.
     */
    @Override
    public void recordActivity(OrderActivity activity) {
        Objects.requireNonNull(activity, "activity");
        if (jdbc.knownDown()) {
            activityLost(activity, "the database failed a moment ago");
            return;
        }
        try {
            jdbc.withConnection("record order activity", connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO callbackkit_order_activity"
                        + " (" + ACTIVITY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, activity.orderReference());
                    jdbc.dialect().setInstant(insert, 2, activity.at());
                    insert.setString(3, activity.kind().name());
                    insert.setString(4, activity.source());
                    insert.setString(5, activity.subject());
                    insert.setInt(6, activity.attempt());
                    insert.setString(7, activity.result());
                    insert.setString(8, activity.error());
                    insert.setLong(9, activity.duration().toNanos());
                    jdbc.dialect().setInstant(insert, 10, activity.nextAttempt().orElse(null));
                    return insert.executeUpdate();
                }
            });
        } catch (TemporarilyUnavailableException e) {
            activityLost(activity, e.getMessage());
        }
    }

    private void activityLost(OrderActivity activity, String why) {
        long lost = activityLost.incrementAndGet();
        if ((lost & (lost - 1)) == 0) { // 1, 2, 4, 8...: every outage is seen, no flood
            LOG.warn("Journal: the {} of order {} ({} {}) is not recorded: {}; {} lost since start",
                    activity.kind() == OrderActivity.Kind.API_CALL ? "API call" : "action run",
                    activity.orderReference(), activity.source(), activity.subject(), why, lost);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws TemporarilyUnavailableException if the database cannot be read
     */
    @Override
    public List<OrderActivity> findActivity(String orderReference, int limit) {
        Objects.requireNonNull(orderReference, "orderReference");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return jdbc.withConnection("find order activity", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + ACTIVITY_COLUMNS
                    + " FROM callbackkit_order_activity WHERE order_reference = ? ORDER BY at DESC, seq DESC LIMIT ?")) {
                select.setString(1, orderReference);
                select.setInt(2, limit);
                List<OrderActivity> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(new OrderActivity(rows.getString("order_reference"),
                                jdbc.dialect().getInstant(rows, "at"),
                                OrderActivity.Kind.valueOf(rows.getString("kind")), rows.getString("source"),
                                rows.getString("subject"), rows.getInt("attempt"), rows.getString("result"),
                                rows.getString("error"), Duration.ofNanos(rows.getLong("duration_nanos")),
                                Optional.ofNullable(jdbc.dialect().getInstant(rows, "next_attempt"))));
                    }
                }
                return found;
            }
        });
    }

    /**
     * Deletes entries received before the retention age and all but the newest retention count,
     * with their order references, {@value #RETENTION_BATCH} entries per transaction, each
     * followed by a pause as long as it took; then the
     * references left older than the retention age (an entry's insert that a crash cut short),
     * and the order activity older than the age or beyond the count. Returns how many entries were
     * deleted.
     */
    int applyRetention() {
        return applyRetention(RETENTION_BATCH);
    }

    /** {@link #applyRetention()} with {@code batch} entries per transaction. */
    int applyRetention(int batch) {
        Instant cutoff = clock.instant().minus(maxAge);
        int deleted = deleteInBatches("received_at < ?", "received_at, seq", batch,
                select -> jdbc.dialect().setInstant(select, 1, cutoff));
        Long lastBeyondCount = jdbc.withConnection("apply journal retention", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq FROM callbackkit_journal ORDER BY seq DESC LIMIT 1 OFFSET ?")) {
                select.setInt(1, maxEntries);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getLong(1) : null;
                }
            }
        });
        if (lastBeyondCount != null) {
            deleted += deleteInBatches("seq <= ?", "seq", batch, select -> select.setLong(1, lastBeyondCount));
        }
        int orphans = 0;
        for (int removed = batch; removed == batch; orphans += removed) {
            removed = jdbc.inTransaction("apply journal retention", connection -> {
                try (PreparedStatement references = connection.prepareStatement("DELETE FROM callbackkit_journal_references"
                        + " WHERE (reference, received_at, entry_id) IN (SELECT reference, received_at, entry_id"
                        + " FROM callbackkit_journal_references WHERE received_at < ? LIMIT ?)")) {
                    jdbc.dialect().setInstant(references, 1, cutoff);
                    references.setInt(2, batch);
                    return references.executeUpdate();
                }
            });
        }
        if (deleted > 0 || orphans > 0) {
            LOG.info("Journal retention deleted {} entries (older than {} or beyond the newest {}) and {} order references"
                    + " without an entry", deleted, maxAge, maxEntries, orphans);
        }
        int activity = jdbc.withConnection("apply journal retention",
                connection -> deleteOldAndBeyondCount(connection, "callbackkit_order_activity", "at"));
        if (activity > 0) {
            LOG.info("Journal retention deleted {} API calls and action runs (older than {} or beyond the newest {})",
                    activity, maxAge, maxEntries);
        }
        return deleted;
    }

    /** Binds the parameters of a statement. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Deletes the entries that match {@code condition}, in the index order {@code order}, and
     * their order references, {@code batch} entries per transaction, so that no transaction holds
     * its locks (on SQLite, the file's one write lock) for longer than one batch takes; returns
     * how many were deleted.
     */
    private int deleteInBatches(String condition, String order, int batch, Binder binder) {
        int deleted = 0;
        while (true) {
            long started = System.nanoTime();
            int[] counts = jdbc.inTransaction("apply journal retention", connection -> {
                List<Long> seqs = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT seq, id FROM callbackkit_journal WHERE "
                        + condition + " ORDER BY " + order + " LIMIT " + batch)) {
                    binder.bind(select);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            seqs.add(rows.getLong(1));
                            ids.add(rows.getString(2));
                        }
                    }
                }
                if (seqs.isEmpty()) {
                    return new int[] {0, 0};
                }
                String marks = String.join(", ", Collections.nCopies(seqs.size(), "?"));
                try (PreparedStatement references = connection.prepareStatement(
                        "DELETE FROM callbackkit_journal_references WHERE entry_id IN (" + marks + ")")) {
                    for (int i = 0; i < ids.size(); i++) {
                        references.setString(i + 1, ids.get(i));
                    }
                    references.executeUpdate();
                }
                try (PreparedStatement entries = connection.prepareStatement(
                        "DELETE FROM callbackkit_journal WHERE seq IN (" + marks + ")")) {
                    for (int i = 0; i < seqs.size(); i++) {
                        entries.setLong(i + 1, seqs.get(i));
                    }
                    return new int[] {seqs.size(), entries.executeUpdate()};
                }
            });
            deleted += counts[1];
            if (counts[0] < batch || !yieldFor(System.nanoTime() - started)) {
                return deleted;
            }
        }
    }

    /**
     * Waits {@code nanos}, the time the last batch took, so that callbacks get at least as much of
     * the database as the retention; false if the thread was interrupted (the scheduler stops),
     * with its interrupt status kept.
     */
    private static boolean yieldFor(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Deletes the rows of {@code table} older than the retention age by {@code time}, then all but the newest count. */
    private int deleteOldAndBeyondCount(Connection connection, String table, String time) throws SQLException {
        int deleted;
        try (PreparedStatement byAge = connection.prepareStatement("DELETE FROM " + table + " WHERE " + time + " < ?")) {
            jdbc.dialect().setInstant(byAge, 1, clock.instant().minus(maxAge));
            deleted = byAge.executeUpdate();
        }
        try (PreparedStatement byCount = connection.prepareStatement("DELETE FROM " + table + " WHERE seq <="
                + " (SELECT seq FROM " + table + " ORDER BY seq DESC LIMIT 1 OFFSET ?)")) {
            byCount.setInt(1, maxEntries);
            deleted += byCount.executeUpdate();
        }
        return deleted;
    }

    private JournalEntry entry(ResultSet row) throws SQLException {
        return new JournalEntry(
                row.getString("id"),
                jdbc.dialect().getInstant(row, "received_at"),
                row.getString("provider"),
                row.getString("kind"),
                CallbackOutcome.valueOf(row.getString("outcome")),
                row.getInt("status"),
                Duration.ofNanos(row.getLong("latency_nanos")),
                row.getString("remote_address"),
                row.getString("method"),
                row.getString("path"),
                fromJson(row.getString("query_json"), MULTI_MAP),
                fromJson(row.getString("headers_json"), MULTI_MAP),
                row.getLong("body_bytes"),
                row.getString("detail"),
                fromJson(row.getString("order_references"), LIST),
                fromJson(row.getString("masked_fingerprints"), FINGERPRINTS),
                new JournalEntry.Answer(fromJson(row.getString("answer_headers_json"), MULTI_MAP),
                        row.getString("answer_body"), row.getLong("answer_body_bytes")));
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
