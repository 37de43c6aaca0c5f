package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable store snippet of docs/durable-storage.md, run on SQLite. */
class DurableSnippetsTest {

    @TempDir
    Path dir;

    @Test
    void aPendingActionOutlivesTheStore() {
        MutableClock clock = MutableClock.atFixedStart();
        List<String> paid = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path file = dir.resolve("data/callbacks.db");
        try (JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).clock(clock).threads(0).build()) {
            store.scheduler().register("shop.paid", context -> ActionResult.done());
            store.scheduler().schedule(new DelayedAction("shop.paid", "1001", "{}", clock.instant()));
        }
        // tag::sqlite[]
        JdbcCallbackStore store = JdbcCallbackStore.sqlite(file).build();   // one node; PostgreSQL: JdbcCallbackStore.builder(dataSource)

        DelayedActionScheduler scheduler = store.scheduler();   // was InMemoryDelayedActionScheduler
        CallbackJournal journal = store.journal();              // was InMemoryCallbackJournal
        StateStore state = store.stateStore();                  // was InMemoryStateStore: each provider's .stateStore(state)
        scheduler.register("shop.paid", context -> {            // register every handler, then
            paid.add(context.key());                            // your work: idempotent, it runs at least once
            return ActionResult.done();
        });
        store.start();                                          // run actions, those left from before a restart too
        // end::sqlite[]
        try (store) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (paid.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(paid).containsExactly("1001");
            assertThat(journal.dropped()).isZero();
            assertThat(state).isNotNull();
        }
    }
}
