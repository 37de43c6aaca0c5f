-- Callback Kit schema, version 4, SQLite. Times are INTEGER milliseconds since the epoch (UTC), as in version 1.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- What the provider modules did for each order after its callback (OrderActivity): their calls to
-- the provider's API (method and path template, status or failure, latency) and the runs of their
-- delayed actions (attempt, done, failed or dead, the error cut to 500 characters, the next
-- attempt). Never a body, a header or a credential. Deleted by the journal's retention.
CREATE TABLE IF NOT EXISTS callbackkit_order_activity (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    order_reference TEXT NOT NULL,
    at              INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    source          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    result          TEXT NOT NULL,
    error           TEXT NOT NULL,
    duration_nanos  INTEGER NOT NULL,
    next_attempt    INTEGER
);
-- "Everything about order 4711" is one index range; retention deletes by age.
CREATE INDEX IF NOT EXISTS callbackkit_order_activity_reference_idx ON callbackkit_order_activity (order_reference, at);
CREATE INDEX IF NOT EXISTS callbackkit_order_activity_at_idx ON callbackkit_order_activity (at);
