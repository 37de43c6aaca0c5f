package org.callbackkit.spring;

import java.util.Map;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;

/**
 * The store chosen by {@code callbackkit.store.type}: one journal, scheduler, state store and
 * idempotency store, shared by every provider module and by the application's own delayed
 * actions. Register your own action types on {@link #scheduler()} in a bean's constructor; the
 * starter starts running actions once the application context is refreshed (so that actions left
 * from before a restart find their handler) and stops them when it closes, after the web server.
 */
public interface CallbackKitStore {

    /** Which store this is: {@code memory}, {@code file} or {@code datasource}. */
    String type();

    /** The delayed-action scheduler every module schedules on. */
    DelayedActionScheduler scheduler();

    /** The journal every callback is recorded in. */
    CallbackJournal journal();

    /** Per-key state every module settles orders in. */
    StateStore stateStore();

    /** What was done, once per key. */
    IdempotencyStore idempotencyStore();

    /**
     * Whether the database answers now (always true in memory). Never throws; takes at most the
     * store's connection wait.
     */
    boolean reachable();

    /** What the store holds in memory for a database that did not take it, for the health endpoint. */
    Map<String, Object> details();

    /**
     * Runs every action due now, on the calling thread; returns how many runs were made. For tests
     * and hosts with their own trigger.
     *
     * @throws IllegalStateException from a durable store unless {@code callbackkit.store.threads} is 0
     */
    int runDue();
}
