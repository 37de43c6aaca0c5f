-- Callback Kit schema, version 1, SQLite.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects. Times are INTEGER milliseconds
-- since the epoch (UTC), as db-scheduler's SQLite customization writes them, so that every time
-- column sorts and compares the same way.

-- Pending delayed actions: db-scheduler's table layout, under our own name so that a shop's own
-- db-scheduler tables are never shared. One row per (type, key); task_data is JSON (UTF-8).
CREATE TABLE IF NOT EXISTS callbackkit_scheduled_tasks (
    task_name            TEXT NOT NULL,
    task_instance        TEXT NOT NULL,
    task_data            BLOB,
    execution_time       INTEGER NOT NULL,
    picked               INTEGER NOT NULL,
    picked_by            TEXT,
    last_success         INTEGER,
    last_failure         INTEGER,
    consecutive_failures INTEGER,
    last_heartbeat       INTEGER,
    version              INTEGER NOT NULL,
    priority             INTEGER,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX IF NOT EXISTS callbackkit_scheduled_tasks_execution_time_idx
    ON callbackkit_scheduled_tasks (execution_time);
CREATE INDEX IF NOT EXISTS callbackkit_scheduled_tasks_last_heartbeat_idx
    ON callbackkit_scheduled_tasks (last_heartbeat);

-- Actions given up on, kept for an operator until the same type and key is scheduled again.
CREATE TABLE IF NOT EXISTS callbackkit_dead_actions (
    action_type TEXT NOT NULL,
    action_key  TEXT NOT NULL,
    payload     TEXT NOT NULL,
    run_at      INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    last_error  TEXT NOT NULL,
    died_at     INTEGER NOT NULL,
    PRIMARY KEY (action_type, action_key)
);
CREATE INDEX IF NOT EXISTS callbackkit_dead_actions_died_at_idx ON callbackkit_dead_actions (died_at);

-- The journal: one row per callback received. seq orders entries recorded in the same millisecond;
-- AUTOINCREMENT never gives a deleted entry's seq again.
CREATE TABLE IF NOT EXISTS callbackkit_journal (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL,
    received_at    INTEGER NOT NULL,
    provider       TEXT NOT NULL,
    kind           TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    status         INTEGER NOT NULL,
    latency_nanos  INTEGER NOT NULL,
    remote_address TEXT NOT NULL,
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    query_json     TEXT NOT NULL,
    headers_json   TEXT NOT NULL,
    body_bytes     INTEGER NOT NULL,
    detail         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS callbackkit_journal_received_idx ON callbackkit_journal (received_at, seq);
CREATE INDEX IF NOT EXISTS callbackkit_journal_provider_idx ON callbackkit_journal (provider, kind, received_at);
CREATE INDEX IF NOT EXISTS callbackkit_journal_outcome_idx ON callbackkit_journal (outcome, received_at);

-- What was already done, per scope: first insert wins.
CREATE TABLE IF NOT EXISTS callbackkit_idempotency (
    scope    TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    done_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
