package org.callbackkit.micrometer;

import java.util.List;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;

/** Counts and times each entry, then records it in the journal it decorates. */
final class MeteredCallbackJournal implements CallbackJournal {

    private final CallbackJournal journal;
    private final CallbackMetrics metrics;

    MeteredCallbackJournal(CallbackJournal journal, CallbackMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    @Override
    public void record(JournalEntry entry) {
        metrics.record(entry);
        journal.record(entry);
    }

    @Override
    public List<JournalEntry> find(JournalQuery query) {
        return journal.find(query);
    }

    /** Passed on: API calls are metered by the modules' API listener, not here. */
    @Override
    public void recordActivity(OrderActivity activity) {
        journal.recordActivity(activity);
    }

    @Override
    public List<OrderActivity> findActivity(String orderReference, int limit) {
        return journal.findActivity(orderReference, limit);
    }

    @Override
    public long dropped() {
        return journal.dropped();
    }

    @Override
    public String toString() {
        return "metered " + journal;
    }
}
