package org.callbackkit.spring;

import java.time.Clock;
import java.util.Map;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.InMemoryIdempotencyStore;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;

/** {@code callbackkit.store.type=memory}: core's in-memory implementations, lost on restart. */
final class MemoryStore implements ManagedStore {

    private final InMemoryDelayedActionScheduler scheduler;
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final InMemoryStateStore stateStore = new InMemoryStateStore();
    private final InMemoryIdempotencyStore idempotencyStore = new InMemoryIdempotencyStore();

    MemoryStore(CallbackKitProperties.Store properties, Clock clock) {
        this.scheduler = InMemoryDelayedActionScheduler.builder()
                .clock(clock)
                .threads(properties.getThreads())
                .pollInterval(properties.getPollInterval())
                .overdueAfter(properties.getOverdueAfter())
                .build();
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public DelayedActionScheduler scheduler() {
        return scheduler;
    }

    @Override
    public CallbackJournal journal() {
        return journal;
    }

    @Override
    public StateStore stateStore() {
        return stateStore;
    }

    @Override
    public IdempotencyStore idempotencyStore() {
        return idempotencyStore;
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public Map<String, Object> details() {
        return Map.of();
    }

    @Override
    public int runDue() {
        return scheduler.runDue();
    }

    /** Nothing to start: in-memory workers run from the start. */
    @Override
    public void start() {
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
