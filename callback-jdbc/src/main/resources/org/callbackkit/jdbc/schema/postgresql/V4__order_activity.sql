-- Callback Kit schema, version 4, PostgreSQL.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- What the provider modules did for each order after its callback (OrderActivity): their calls to
-- the provider's API (method and path template, status or failure, latency) and the runs of their
-- delayed actions (attempt, done, failed or dead, the error cut to 500 characters, the next
-- attempt). Never a body, a header or a credential. Deleted by the journal's retention.
CREATE TABLE IF NOT EXISTS callbackkit_order_activity (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_reference TEXT NOT NULL,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    kind            TEXT NOT NULL,
    source          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    attempt         INT NOT NULL,
    result          TEXT NOT NULL,
    error           TEXT NOT NULL,
    duration_nanos  BIGINT NOT NULL,
    next_attempt    TIMESTAMP WITH TIME ZONE
);
-- "Everything about order 4711" is one index range; retention deletes by age.
CREATE INDEX IF NOT EXISTS callbackkit_order_activity_reference_idx ON callbackkit_order_activity (order_reference, at);
CREATE INDEX IF NOT EXISTS callbackkit_order_activity_at_idx ON callbackkit_order_activity (at);
