package org.callbackkit.core.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.callbackkit.core.OrderActivity;

/**
 * A bounded journal in memory: keeps the newest {@code capacity} entries and forgets the oldest,
 * and likewise the newest {@code capacity} records of {@linkplain #recordActivity order activity}.
 * Thread-safe. Lost on restart; use the JDBC journal where entries must survive.
 */
public final class InMemoryCallbackJournal implements CallbackJournal {

    /** The capacity {@link #InMemoryCallbackJournal()} uses. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<Held> entries;
    private final ArrayDeque<OrderActivity> activity;
    private long recorded;
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
        this.activity = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public void recordActivity(OrderActivity done) {
        java.util.Objects.requireNonNull(done, "activity");
        synchronized (activity) {
            addNewest(activity, done);
        }
    }

    /** Adds {@code item} to {@code held}, forgetting the oldest when it is full; whether one was forgotten. */
    private <T> boolean addNewest(ArrayDeque<T> held, T item) {
        boolean full = held.size() == capacity;
        if (full) {
            held.removeFirst();
        }
        held.addLast(item);
        return full;
    }

    @Override
    public List<OrderActivity> findActivity(String orderReference, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<OrderActivity> found = new ArrayList<>();
        synchronized (activity) {
            activity.descendingIterator().forEachRemaining(done -> {
                if (done.orderReference().equals(orderReference)) {
                    found.add(done);
                }
            });
        }
        // newest recorded first; a stable sort by time keeps that order within one instant
        found.sort(Comparator.comparing(OrderActivity::at).reversed());
        return found.stream().limit(limit).toList();
    }

    @Override
    public void record(JournalEntry entry) {
        java.util.Objects.requireNonNull(entry, "entry");
        synchronized (entries) {
            if (addNewest(entries, new Held(recorded++, entry))) {
                evicted++;
            }
        }
    }

    @Override
    public List<JournalEntry> find(JournalQuery query) {
        List<Held> found = new ArrayList<>();
        synchronized (entries) {
            Long cursorRecorded = null;
            JournalQuery.Cursor cursor = query.olderThan().orElse(null);
            if (cursor != null) {
                for (Held held : entries) {
                    if (held.entry.id().equals(cursor.id()) && held.entry.receivedAt().equals(cursor.receivedAt())) {
                        cursorRecorded = held.recorded;
                    }
                }
            }
            for (Held held : entries) {
                if (query.matches(held.entry) && (cursor == null || held.after(cursor, cursorRecorded))) {
                    found.add(held);
                }
            }
        }
        // entries are appended in the order they were *recorded*; sort by arrival time so a slow
        // callback recorded late still lands in its place
        found.sort(Held.NEWEST_FIRST);
        return found.stream().limit(query.limit()).map(Held::entry).toList();
    }

    /** An entry and when it was recorded, which orders entries that arrived at the same instant. */
    private record Held(long recorded, JournalEntry entry) {
        static final Comparator<Held> NEWEST_FIRST = Comparator.comparing((Held held) -> held.entry.receivedAt())
                .thenComparingLong(Held::recorded).reversed();

        /** Whether this comes after the cursor's entry, newest first; {@code cursorRecorded} null when it is gone. */
        boolean after(JournalQuery.Cursor cursor, Long cursorRecorded) {
            int byTime = entry.receivedAt().compareTo(cursor.receivedAt());
            return byTime < 0 || (byTime == 0 && cursorRecorded != null && recorded < cursorRecorded);
        }
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
