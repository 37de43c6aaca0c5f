package org.callbackkit.test;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.schedule.ActionHandler;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.ForwardingDelayedActionScheduler;

/**
 * A scheduler that remembers every exception an action handler throws, around another one (a
 * {@code ManualDelayedActionScheduler} in tests). A scheduler retries a handler that throws, so
 * the failure is easily missed; a provider module's handler should answer retry or give up with a
 * reason instead, also for a fuzzed provider answer or stored payload, and
 * {@link #assertNoHandlerThrew()} holds it to that.
 */
public final class WatchedScheduler extends ForwardingDelayedActionScheduler {

    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    /** Watches the handlers registered through it on {@code delegate}. */
    public WatchedScheduler(DelayedActionScheduler delegate) {
        super(delegate);
    }

    /**
     * Throws the first exception a handler threw, wrapped, if any did.
     *
     * @throws AssertionError if a handler threw
     */
    public void assertNoHandlerThrew() {
        if (!thrown.isEmpty()) {
            throw new AssertionError(thrown.size() + " action run(s) threw instead of answering retry or give up",
                    thrown.get(0));
        }
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        Objects.requireNonNull(handler, "handler");
        super.register(type, context -> {
            try {
                return handler.execute(context);
            } catch (Throwable e) {
                thrown.add(e);
                throw e;
            }
        }, retries);
    }







}
