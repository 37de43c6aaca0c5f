-- Callback Kit schema, version 6, SQLite. Times are INTEGER milliseconds since the epoch (UTC), as in version 1.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- The journal's retention deletes in small batches; after those of the entries it deletes, it
-- finds the order references left older than the retention age (those of an entry whose insert a
-- crash cut short) by time, one index range instead of a scan of every reference.
CREATE INDEX IF NOT EXISTS callbackkit_journal_references_received_idx ON callbackkit_journal_references (received_at);
