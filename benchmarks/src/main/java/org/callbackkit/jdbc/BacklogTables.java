package org.callbackkit.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.callbackkit.core.journal.JournalQuery;

/**
 * Benchmark 6's access to callback-jdbc's package-private parts: it fills the store's own tables
 * with a backlog fast, shows the plans of the statements the store and db-scheduler run, and runs
 * the journal's retention. It sits in callback-jdbc's package for that reason only.
 *
 * <p>Rows are generated in the database, in large transactions of one {@code INSERT ... SELECT}
 * each over a series of numbers ({@code generate_series} on PostgreSQL, a recursive CTE on
 * SQLite), copied from a template row that the real code wrote: every column of the template is
 * kept as written, with its order reference replaced by the row's own and its time column set, so
 * the rows are what the journal and the scheduler write, in the tables and indexes they use.
 */
public final class BacklogTables {

    /** The store's table of pending delayed actions (db-scheduler's layout). */
    public static final String TASK_TABLE = JdbcCallbackStore.TASK_TABLE;
    /** The db-scheduler task name of every delayed action in {@link #TASK_TABLE}. */
    public static final String TASK_NAME = DurableActionScheduler.TASK_NAME;

    private static final String JOURNAL_REFERENCE = "'seed-' || CAST(i / 2 AS TEXT)";

    private final DataSource dataSource;
    private final Dialect dialect;

    /** The tables of {@code store}'s database. */
    public BacklogTables(JdbcCallbackStore store) {
        this(store.dataSource());
    }

    /**
     * The tables of the database behind {@code dataSource}, for {@link #seedTasks} into a table
     * of db-scheduler's layout that is not the store's (raw db-scheduler's own, in benchmark 3).
     */
    public BacklogTables(DataSource dataSource) {
        this.dataSource = dataSource;
        this.dialect = Dialect.of(dataSource);
    }

    /** Whether the store is on PostgreSQL (else SQLite). */
    public boolean postgresql() {
        return dialect == Dialect.POSTGRESQL;
    }

    /**
     * Inserts pending delayed actions {@code from} to {@code to} (inclusive), copies of the pending
     * row of the action whose key contains {@code reference}, each for its own order
     * ({@code seed-<i>}: one pending action per order), due at {@code first} plus
     * {@code step} per row. Returns the rows inserted.
     */
    public long seedPending(String reference, long from, long to, Instant first, Duration step) throws SQLException {
        return seedTasks(JdbcCallbackStore.TASK_TABLE, DurableActionScheduler.TASK_NAME, "%:" + reference, reference,
                from, to, first, step);
    }

    /**
     * Inserts rows {@code from} to {@code to} (inclusive) into {@code table}, a table of
     * db-scheduler's layout: copies of the row of task {@code taskName} whose instance id is
     * {@code LIKE instancePattern}, with {@code reference} replaced by {@code seed-<i>} wherever
     * the row carries it, due at {@code first} plus {@code step} per row. Returns the rows
     * inserted. Raw db-scheduler's own table is seeded this way in benchmark 3.
     */
    public long seedTasks(String table, String taskName, String instancePattern, String reference, long from, long to,
            Instant first, Duration step) throws SQLException {
        Map<String, Object> template = template("SELECT * FROM " + table + " WHERE task_name = ? AND task_instance LIKE ?",
                taskName, instancePattern);
        return copy(table, template, reference, "'seed-' || CAST(i AS TEXT)", Map.of("execution_time", time(first, step)),
                from, to);
    }

    /**
     * Inserts journal entries {@code from} to {@code to} (inclusive) and their order references,
     * copies of the entry that carries {@code reference}, two entries per order
     * ({@link #reference(long)}), received at {@code first} plus {@code step} per row. Returns the entries
     * inserted.
     */
    public long seedJournal(String reference, long from, long to, Instant first, Duration step) throws SQLException {
        Map<String, Object> entry = template("SELECT * FROM callbackkit_journal WHERE id IN"
                + " (SELECT entry_id FROM callbackkit_journal_references WHERE reference = ?)", reference);
        entry.remove("seq");
        String id = (String) entry.get("id");
        Map<String, String> idAndTime = Map.of("id", uniqueId(), "received_at", time(first, step));
        long entries = copy("callbackkit_journal", entry, reference, JOURNAL_REFERENCE, idAndTime, from, to);
        Map<String, Object> row = template("SELECT * FROM callbackkit_journal_references WHERE entry_id = ?", id);
        copy("callbackkit_journal_references", row, reference, JOURNAL_REFERENCE, Map.of("entry_id", uniqueId(), "received_at",
                time(first, step)), from, to);
        return entries;
    }

    /** The order reference of generated journal row {@code i}: two entries per order. */
    public static String reference(long i) {
        return "seed-" + i / 2;
    }

    /** Refreshes the planner's statistics on PostgreSQL, as autovacuum would after a bulk load; nothing on SQLite. */
    public void analyze() throws SQLException {
        if (postgresql()) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE");
            }
        }
    }

    /**
     * The statement db-scheduler 16.12.0 polls with on this database, as the store configures it
     * (4 threads): on PostgreSQL lock-and-fetch, {@code PostgreSqlJdbcCustomization
     * .lockAndFetchSingleStatement} with a limit of 4 (upper limit 1.0 × threads); on SQLite
     * fetch-then-claim, {@code DefaultJdbcCustomization.createSelectDueQuery} with a limit of 12
     * (the default fetch strategy's 3.0 × threads). Copied from db-scheduler's source, no
     * priority, no unresolved tasks.
     */
    public String dueQuery() {
        String table = JdbcCallbackStore.TASK_TABLE;
        return postgresql()
                ? " WITH locked_executions as (UPDATE " + table
                        + " st1 SET picked = ?, picked_by = ?, last_heartbeat = ?, version = version + 1 "
                        + " WHERE (st1.task_name, st1.task_instance) IN (SELECT st2.task_name, st2.task_instance FROM "
                        + table + " st2  WHERE picked = ? and execution_time <= ?  ORDER BY execution_time ASC "
                        + " FOR UPDATE SKIP LOCKED  LIMIT 4) RETURNING st1.*)  SELECT * FROM locked_executions "
                        + " ORDER BY execution_time ASC "
                : "select * from " + table + " where picked = ? and execution_time <= ?  ORDER BY execution_time ASC "
                        + " LIMIT 12";
    }

    /** Runs {@link #dueQuery()} once, as db-scheduler does at {@code now}; returns the rows it claimed or fetched. */
    public int pollDue(Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement poll = connection.prepareStatement(dueQuery())) {
            bindDue(poll, now);
            int rows = 0;
            try (ResultSet result = poll.executeQuery()) {
                while (result.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }

    private void bindDue(PreparedStatement poll, Instant now) throws SQLException {
        int index = 1;
        if (postgresql()) {
            poll.setBoolean(index++, true);
            poll.setString(index++, "bench");
            dialect.setInstant(poll, index++, now);
        }
        poll.setBoolean(index++, false);
        dialect.setInstant(poll, index, now);
    }

    /** The plan of {@link #dueQuery()} at {@code now}: {@code EXPLAIN ANALYZE} on PostgreSQL, {@code EXPLAIN QUERY PLAN} on SQLite. */
    public String explainDue(Instant now) throws SQLException {
        return explain(dueQuery(), poll -> bindDue(poll, now));
    }

    /** The plan of the scheduler's {@code health()} counts at {@code now}. */
    public String explainHealth(Instant now) throws SQLException {
        return explain(DurableActionScheduler.HEALTH_COUNTS, counts -> {
            dialect.setInstant(counts, 1, now.minus(Duration.ofMinutes(5)));
            dialect.setInstant(counts, 2, now.minus(Duration.ofMinutes(5)));
            counts.setString(3, DurableActionScheduler.TASK_NAME);
        });
    }

    /** The plan of the journal's {@code find} for {@code query}. */
    public String explainFind(JournalQuery query) throws SQLException {
        JdbcCallbackJournal.Select select = JdbcCallbackJournal.select(query);
        return explain(select.sql(), statement -> select.bind(statement, dialect));
    }

    /** Runs the journal's retention once, as its recurring task does; returns the entries deleted. */
    public static int applyJournalRetention(JdbcCallbackStore store) {
        return ((JdbcCallbackJournal) store.journal()).applyRetention();
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private String explain(String sql, Binder binder) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement explain = connection.prepareStatement(
                        (postgresql() ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ") + sql)) {
            binder.bind(explain);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    if (postgresql()) {
                        plan.append(rows.getString(1)).append('\n');
                    } else {
                        plan.append(rows.getInt("parent") == 0 ? "" : "  ").append(rows.getString("detail")).append('\n');
                    }
                }
            }
            return plan.toString().stripTrailing();
        }
    }

    /** The one row {@code select} finds, column by column (lower-case names). */
    private Map<String, Object> template(String select, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(select)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no template row for " + select);
                }
                ResultSetMetaData meta = row.getMetaData();
                Map<String, Object> columns = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    columns.put(meta.getColumnName(c).toLowerCase(java.util.Locale.ROOT), row.getObject(c));
                }
                return columns;
            }
        }
    }

    /**
     * {@code INSERT INTO table (...) SELECT ... FROM <numbers from..to>}: every column as in
     * {@code template}, text (and bytes) with {@code reference} replaced by {@code rowReference},
     * {@code expressions} (in terms of the row number {@code i}) for the columns named there.
     */
    private long copy(String table, Map<String, Object> template, String reference, String rowReference,
            Map<String, String> expressions, long from, long to) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Map.Entry<String, Object> column : template.entrySet()) {
            names.add(column.getKey());
            Object value = column.getValue();
            if (expressions.containsKey(column.getKey())) {
                values.add(expressions.get(column.getKey()));
            } else if (value == null) {
                values.add("NULL");
            } else if (value instanceof String text && text.contains(reference)) {
                values.add(concat(text, reference, rowReference, parameters));
            } else if (value instanceof byte[] bytes && new String(bytes, StandardCharsets.UTF_8).contains(reference)) {
                String text = concat(new String(bytes, StandardCharsets.UTF_8), reference, rowReference, parameters);
                values.add(postgresql() ? "convert_to(" + text + ", 'UTF8')" : "CAST(" + text + " AS BLOB)");
            } else {
                values.add("?");
                parameters.add(value);
            }
        }
        String numbers = postgresql() ? "generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS g(i)"
                : "(WITH RECURSIVE g(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM g WHERE i < ?) SELECT i FROM g)";
        String sql = "INSERT INTO " + table + " (" + String.join(", ", names) + ") SELECT " + String.join(", ", values)
                + " FROM " + numbers;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                int index = 1;
                for (Object parameter : parameters) {
                    insert.setObject(index++, parameter);
                }
                insert.setLong(index++, from);
                insert.setLong(index, to);
                long inserted = insert.executeUpdate();
                connection.commit();
                return inserted;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** {@code text} as an SQL expression with each {@code reference} replaced by {@code replacement}. */
    private static String concat(String text, String reference, String replacement, List<Object> parameters) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        for (int found = text.indexOf(reference); found >= 0; found = text.indexOf(reference, at)) {
            parts.add("?");
            parameters.add(text.substring(at, found));
            parts.add(replacement);
            at = found + reference.length();
        }
        parts.add("?");
        parameters.add(text.substring(at));
        return "(" + String.join(" || ", parts) + ")";
    }

    /** A time column: {@code first} plus {@code step} per row, as db-scheduler stores times on this database. */
    private String time(Instant first, Duration step) {
        String millis = "(" + first.toEpochMilli() + " + i * " + step.toMillis() + ")";
        return postgresql() ? "to_timestamp(CAST(" + millis + " AS DOUBLE PRECISION) / 1000.0)" : millis;
    }

    /** A unique id per row, its first characters spread like a random id's, so that the id index grows as in use. */
    private String uniqueId() {
        String spread = "(i * 2654435761) % 4294967296";
        return (postgresql() ? "lpad(to_hex(" + spread + "), 8, '0')" : "printf('%08x', " + spread + ")")
                + " || '-seed-' || CAST(i AS TEXT)";
    }
}
