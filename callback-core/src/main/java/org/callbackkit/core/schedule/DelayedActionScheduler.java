package org.callbackkit.core.schedule;

import java.util.List;
import org.callbackkit.core.RetrySchedule;

/**
 * Runs work later, at least once, with retries: how a callback is answered fast and processed
 * after. One pending action per type and key: scheduling it again while it waits is a no-op, so a
 * burst of duplicate callbacks becomes one action.
 *
 * <p>A run ends as its {@link ActionHandler} says: done (forgotten), retry after a delay, or give
 * up (kept as dead). A handler that throws is retried after the delay its type's
 * {@link RetrySchedule} gives; when the attempts are used up the action is kept as dead with its
 * last error and attempt count. Two runs of one type and key never overlap. Implementations are
 * thread-safe.
 */
public interface DelayedActionScheduler extends AutoCloseable {

    /**
     * Registers the handler of {@code type}, retried per {@code retries} when it fails.
     *
     * @throws IllegalStateException if {@code type} already has a handler
     */
    void register(String type, ActionHandler handler, RetrySchedule retries);

    /**
     * Registers the handler of {@code type} with the scheduler's {@link #defaultRetries()}.
     *
     * @throws IllegalStateException if {@code type} already has a handler
     */
    default void register(String type, ActionHandler handler) {
        register(type, handler, defaultRetries());
    }

    /** The retry schedule of types registered without one. */
    RetrySchedule defaultRetries();

    /**
     * Schedules {@code action} unless one of the same type and key is already waiting.
     * If one is running, this action runs after it (a follow-up, so news that arrived mid-run is
     * not lost). A dead action of the same type and key is superseded by the new one.
     *
     * @return true if scheduled (or queued as a follow-up), false if one was already pending
     * @throws IllegalStateException after {@link #close()}
     */
    boolean schedule(DelayedAction action);

    /** The actions not yet done, soonest first. */
    List<PendingAction> pending();

    /** The actions given up on, oldest first. */
    List<DeadAction> dead();

    /**
     * The actions not yet done that {@code query} asks for, soonest first. The default filters
     * {@link #pending()}; a durable scheduler answers from an index instead.
     */
    default List<PendingAction> pending(ActionQuery query) {
        return pending().stream().filter(p -> query.matches(p.action().key())).limit(query.limit()).toList();
    }

    /**
     * The actions given up on that {@code query} asks for, oldest first. The default filters
     * {@link #dead()}; a durable scheduler answers from an index instead.
     */
    default List<DeadAction> dead(ActionQuery query) {
        return dead().stream().filter(d -> query.matches(d.action().key())).limit(query.limit()).toList();
    }

    /**
     * An operator's "run now" for the action of {@code type} and {@code key}: a waiting one (overdue,
     * or waiting for its next retry) becomes due now and keeps its attempt count; a dead one is
     * scheduled again, due now, with its payload and a fresh set of attempts (as
     * {@link #schedule(DelayedAction)} of it would). A running one is left alone.
     *
     * <p>The default throws, so that a decorator written before this method says so instead of
     * doing nothing; the schedulers of Callback Kit implement it.
     *
     * @return true if an action was made due now; false if none of that type and key waits or is
     *     dead, or it is running
     * @throws UnsupportedOperationException if the implementation cannot
     * @throws IllegalStateException after {@link #close()}
     */
    default boolean runNow(String type, String key) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot run an action now");
    }

    /** Counts of pending, overdue, running and dead actions, now. */
    SchedulerHealth health();

    /**
     * Stops taking actions and waits up to the implementation's timeout for running ones to end;
     * a handler that calls it therefore waits out the timeout for its own run.
     * Pending actions stay in a durable implementation and are lost by an in-memory one.
     */
    @Override
    void close();
}
