-- Callback Kit schema, version 2, H2.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- Durable state per key (StateStore): one document per (scope, key), for example which
-- Blockonomics transactions an order has counted. version is 1 for the first document stored
-- and grows by one with every update.
CREATE TABLE IF NOT EXISTS callbackkit_state (
    scope      VARCHAR NOT NULL,
    state_key  VARCHAR NOT NULL,
    document   VARCHAR NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, state_key)
);
