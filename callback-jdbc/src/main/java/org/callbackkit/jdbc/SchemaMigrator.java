package org.callbackkit.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades callback-jdbc's tables with plain versioned SQL scripts, recorded in
 * {@code callbackkit_schema_version}. Each script runs once, in order, in one transaction, and DDL
 * is transactional on both databases: on PostgreSQL nodes starting together take turns on an
 * advisory lock; on SQLite the transaction holds the file's write lock from its start. The
 * scripts are idempotent ({@code IF NOT EXISTS}) all the same.
 */
final class SchemaMigrator {

    /** A versioned script: {@code V<version>__<name>.sql}. */
    record Script(int version, String name) {
        String fileName() {
            return "V" + version + "__" + name + ".sql";
        }
    }

    /** Every script, oldest first. A new schema version adds one here and never edits an old one. */
    static final List<Script> SCRIPTS = List.of(new Script(1, "callback_kit"), new Script(2, "state"),
            new Script(3, "journal_orders"), new Script(4, "order_activity"), new Script(5, "action_orders"),
            new Script(6, "journal_retention"));

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    /** An arbitrary constant, the same on every node: "cbkt" in ASCII. */
    private static final long ADVISORY_LOCK = 0x63626b74L;

    private final Jdbc jdbc;
    private final Clock clock;

    SchemaMigrator(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Applies every script newer than the database's version; returns the version reached. */
    int migrate() {
        int version = 0;
        for (Script script : SCRIPTS) {
            version = jdbc.inTransaction("apply schema " + script.fileName(), connection -> apply(connection, script));
        }
        int newest = SCRIPTS.get(SCRIPTS.size() - 1).version();
        if (version > newest) {
            LOG.warn("The database's callback-jdbc schema is at version {}, newer than this library's {}: "
                    + "an older node among newer ones?", version, newest);
        }
        return version;
    }

    private int apply(Connection connection, Script script) throws SQLException {
        if (jdbc.dialect() == Dialect.POSTGRESQL) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ADVISORY_LOCK);
                lock.execute();
            }
        }
        // Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent
        // twin (it can fail on a unique violation in pg_type), so nodes starting together take turns.
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS callbackkit_schema_version ("
                    + " version INT NOT NULL PRIMARY KEY,"
                    + " script VARCHAR(200) NOT NULL,"
                    + " installed_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
        int current = currentVersion(connection);
        if (current >= script.version()) {
            return current;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(read(script))) {
                statement.execute(sql);
            }
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO callbackkit_schema_version (version, script, installed_at) VALUES (?, ?, ?)")) {
            record.setInt(1, script.version());
            record.setString(2, script.fileName());
            jdbc.dialect().setInstant(record, 3, clock.instant());
            record.executeUpdate();
        }
        LOG.info("Applied callback-jdbc schema {} on {}", script.fileName(), jdbc.dialect());
        return script.version();
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT MAX(version) FROM callbackkit_schema_version")) {
            row.next();
            return row.getInt(1);
        }
    }

    private String read(Script script) {
        String resource = jdbc.dialect().schemaResource(script.fileName());
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The script's statements: separated by a semicolon at the end of a line, comments dropped. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.substring(0, current.lastIndexOf(";")).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
