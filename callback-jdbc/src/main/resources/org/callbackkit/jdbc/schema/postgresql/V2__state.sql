-- Callback Kit schema, version 2, PostgreSQL.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- Durable state per key (StateStore): one document per (scope, key), for example which
-- Blockonomics transactions an order has counted. version is 1 for the first document stored
-- and grows by one with every update; an update inserts the row with version 0 and an empty
-- document to lock it, in the transaction that then stores the first document.
CREATE TABLE IF NOT EXISTS callbackkit_state (
    scope      TEXT NOT NULL,
    state_key  TEXT NOT NULL,
    document   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, state_key)
);
