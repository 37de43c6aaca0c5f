-- Callback Kit schema, version 3, PostgreSQL.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- The order references each journal entry carries (Klarna or Ecster order id, Avarda purchase id,
-- Blockonomics address and transaction id), as a JSON array, for showing them with the entry.
ALTER TABLE callbackkit_journal ADD COLUMN order_references TEXT NOT NULL DEFAULT '[]';
-- For each masked value, a short keyed hash (never the value): the compare view tells the same
-- secret from a different one. A JSON object; hashes of different processes do not compare.
ALTER TABLE callbackkit_journal ADD COLUMN masked_fingerprints TEXT NOT NULL DEFAULT '{}';
-- What the shop answered besides the status: its headers (masked), the start of a non-2xx body, and
-- the body's size; -1 for entries recorded before answers were kept.
ALTER TABLE callbackkit_journal ADD COLUMN answer_headers_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE callbackkit_journal ADD COLUMN answer_body TEXT NOT NULL DEFAULT '';
ALTER TABLE callbackkit_journal ADD COLUMN answer_body_bytes BIGINT NOT NULL DEFAULT -1;
-- 1 when the request carried the X-Callback-Kit-Probe header (the callback doctor's probes), which
-- the journal page hides by default; earlier probes are found by their recorded header.
ALTER TABLE callbackkit_journal ADD COLUMN probe SMALLINT NOT NULL DEFAULT 0;
UPDATE callbackkit_journal SET probe = 1 WHERE LOWER(headers_json) LIKE '%"x-callback-kit-probe":%';
-- A page cursor names its last entry by id, and the detail page finds one entry by id.
CREATE INDEX IF NOT EXISTS callbackkit_journal_id_idx ON callbackkit_journal (id);

-- One row per (order reference, entry): "everything about order 4711" is one index range.
-- Deleted with their entry by the journal's retention.
CREATE TABLE IF NOT EXISTS callbackkit_journal_references (
    reference   TEXT NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    entry_id    TEXT NOT NULL,
    PRIMARY KEY (reference, received_at, entry_id)
);
CREATE INDEX IF NOT EXISTS callbackkit_journal_references_entry_idx ON callbackkit_journal_references (entry_id);
