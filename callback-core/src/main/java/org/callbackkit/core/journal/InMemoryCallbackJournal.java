package org.callbackkit.core.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded journal in memory: keeps the newest {@code capacity} entries and forgets the oldest.
 * Thread-safe. Lost on restart; use the JDBC journal where entries must survive.
 */
public final class InMemoryCallbackJournal implements CallbackJournal {

    /** The capacity {@link #InMemoryCallbackJournal()} uses. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<JournalEntry> entries;
    private long evicted;

    /** A journal holding the newest {@value #DEFAULT_CAPACITY} entries. */
    public InMemoryCallbackJournal() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A journal holding the newest {@code capacity} entries.
     *
     * @throws IllegalArgumentException if capacity &lt; 1
     */
    public InMemoryCallbackJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public void record(JournalEntry entry) {
        java.util.Objects.requireNonNull(entry, "entry");
        synchronized (entries) {
            if (entries.size() == capacity) {
                entries.removeFirst();
                evicted++;
            }
            entries.addLast(entry);
        }
    }

    @Override
    public List<JournalEntry> find(JournalQuery query) {
        List<JournalEntry> found = new ArrayList<>();
        synchronized (entries) {
            for (JournalEntry entry : entries) {
                if (query.matches(entry)) {
                    found.add(entry);
                }
            }
        }
        // entries are appended in the order they were *recorded*; sort by arrival time so a slow
        // callback recorded late still lands in its place, and a page ends where the next begins
        found.sort(JournalQuery.NEWEST_FIRST);
        return found.size() > query.limit() ? List.copyOf(found.subList(0, query.limit())) : found;
    }

    /** How many entries are held now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** How many entries were forgotten to stay within capacity. */
    public long evicted() {
        synchronized (entries) {
            return evicted;
        }
    }
}
