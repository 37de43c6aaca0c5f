-- Callback Kit schema, version 2, SQLite.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- Durable state per key (StateStore): one document per (scope, key), for example which
-- Blockonomics transactions an order has counted. version is 1 for the first document stored
-- and grows by one with every update.
CREATE TABLE IF NOT EXISTS callbackkit_state (
    scope      TEXT NOT NULL,
    state_key  TEXT NOT NULL,
    document   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (scope, state_key)
);
