-- Callback Kit schema, version 5, SQLite.
-- Applied by callback-jdbc at start (JdbcCallbackStore.Builder#createSchema), or by the host's
-- own migration tool: the file is named the way Flyway expects.

-- The order each delayed action is about: its key up to the first '/' (Klarna's per-event keys
-- are order/event), or the whole key. The journal page's order view finds an order's actions by
-- this index instead of reading every waiting and dead action.
ALTER TABLE callbackkit_scheduled_tasks ADD COLUMN order_reference TEXT;
ALTER TABLE callbackkit_dead_actions ADD COLUMN order_reference TEXT;
-- Actions already there: the key is what follows '<length of type>:<type>:' in the instance id.
UPDATE callbackkit_scheduled_tasks SET order_reference = substr(task_instance, instr(task_instance, ':') + CAST(substr(task_instance, 1, instr(task_instance, ':') - 1) AS INTEGER) + 2)
    WHERE task_name = 'callbackkit.action';
UPDATE callbackkit_dead_actions SET order_reference = action_key;
UPDATE callbackkit_scheduled_tasks SET order_reference = substr(order_reference, 1, instr(order_reference, '/') - 1)
    WHERE instr(order_reference, '/') > 1;
UPDATE callbackkit_dead_actions SET order_reference = substr(order_reference, 1, instr(order_reference, '/') - 1)
    WHERE instr(order_reference, '/') > 1;
CREATE INDEX IF NOT EXISTS callbackkit_scheduled_tasks_order_idx ON callbackkit_scheduled_tasks (order_reference);
CREATE INDEX IF NOT EXISTS callbackkit_dead_actions_order_idx ON callbackkit_dead_actions (order_reference);
