package org.callbackkit.core.journal;

import java.util.List;

/**
 * A record of every callback received, rejected ones included: the first question of every
 * support case is whether the callback reached the shop at all. Implementations are thread-safe.
 */
public interface CallbackJournal {

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
}
