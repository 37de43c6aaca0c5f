package org.callbackkit.core.journal;

import java.util.List;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.OrderActivityRecorder;

/**
 * A record of every callback received, rejected ones included: the first question of every
 * support case is whether the callback reached the shop at all. Beside the callbacks it keeps,
 * by order reference, what the provider modules did for each order after its callback (their
 * API calls and action runs, {@link OrderActivity}), given to them as their
 * {@link OrderActivityRecorder}. Implementations are thread-safe.
 */
public interface CallbackJournal extends OrderActivityRecorder {

    /**
     * Records one entry. Called on the request path: implementations must be quick and should
     * not throw; the router logs and swallows anything thrown so that the answer still goes out.
     */
    void record(JournalEntry entry);

    /**
     * One page of the entries matching {@code query}, newest first (by arrival; at one instant,
     * the last recorded first): at most {@link JournalQuery#limit()}, starting after the entry of
     * {@link JournalQuery#olderThan()}. A page as long as the limit may have a next one.
     */
    List<JournalEntry> find(JournalQuery query);

    /**
     * How many entries this journal could not keep since it started: a durable journal's entries
     * dropped past its spool's capacity during a database outage. The journal page shows it, so an
     * operator knows the list is incomplete. Default 0.
     */
    default long dropped() {
        return 0;
    }

    /**
     * Records one API call or action run under its order, with the same retention as the entries.
     * Called by provider modules after each call and run: implementations must be quick; what they
     * throw is logged and ignored.
     *
     * <p>The default throws, so that a journal or a decorator written before activity was kept
     * says so (once, in the log; the order view says so too) instead of dropping it in silence;
     * the journals of Callback Kit implement it.
     *
     * @throws UnsupportedOperationException if the implementation keeps no activity
     */
    @Override
    default void recordActivity(OrderActivity activity) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no order activity");
    }

    /**
     * The API calls and action runs recorded for {@code orderReference}, newest first (by
     * {@link OrderActivity#at()}), at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     * @throws UnsupportedOperationException if the implementation keeps no activity (the default)
     */
    default List<OrderActivity> findActivity(String orderReference, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no order activity");
    }
}
