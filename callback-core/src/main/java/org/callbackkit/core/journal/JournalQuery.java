package org.callbackkit.core.journal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.callbackkit.core.intake.CallbackOutcome;

/**
 * Which journal entries to find: a time range {@code [from, to)}, a provider, a kind, a set of
 * outcomes, a status range, an order reference, an entry id, whether probes count, and one page of
 * at most {@link #limit()} entries, newest first, starting after a {@link Cursor}. Newest first means
 * by arrival time, and among entries that arrived at the same instant, the last recorded first.
 * Every criterion left out matches everything. Immutable; build with {@link #builder()}.
 *
 * <p>The limit is a page size, never a silent cap: a caller that wants more asks for the next page
 * with {@link Builder#olderThan(Cursor)} and the cursor of the last entry it got
 * ({@link Cursor#of(JournalEntry)}), until a page comes back shorter than the limit.
 */
public final class JournalQuery {

    /** The page size {@link #builder()} uses unless told otherwise. */
    public static final int DEFAULT_LIMIT = 100;

    private final Instant from;
    private final Instant to;
    private final String provider;
    private final String kind;
    private final Set<CallbackOutcome> outcomes;
    private final int statusFrom;
    private final int statusTo;
    private final String orderReference;
    private final String id;
    private final boolean probes;
    private final Cursor olderThan;
    private final int limit;

    private JournalQuery(Builder builder) {
        this.from = builder.from;
        this.to = builder.to;
        this.provider = builder.provider;
        this.kind = builder.kind;
        this.outcomes = builder.outcomes.isEmpty() ? Set.of() : Set.copyOf(builder.outcomes);
        this.statusFrom = builder.statusFrom;
        this.statusTo = builder.statusTo;
        this.orderReference = builder.orderReference;
        this.id = builder.id;
        this.probes = builder.probes;
        this.olderThan = builder.olderThan;
        this.limit = builder.limit;
    }

    /** Matches every entry; the first page of {@value #DEFAULT_LIMIT}. */
    public static JournalQuery all() {
        return builder().build();
    }

    /** A builder matching everything, probes included, pages of {@value #DEFAULT_LIMIT}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The earliest arrival time matched, inclusive. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** The arrival time matched up to, exclusive. */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** The provider matched. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** The callback kind matched. */
    public Optional<String> kind() {
        return Optional.ofNullable(kind);
    }

    /** The outcomes asked for; empty means any. */
    public Set<CallbackOutcome> outcomes() {
        return outcomes;
    }

    /** The lowest status matched, inclusive; 100 unless narrowed. */
    public int statusFrom() {
        return statusFrom;
    }

    /** The status matched up to, exclusive; 600 unless narrowed. */
    public int statusTo() {
        return statusTo;
    }

    /** The order reference an entry must carry (exactly, one of its {@link JournalEntry#orderReferences()}). */
    public Optional<String> orderReference() {
        return Optional.ofNullable(orderReference);
    }

    /** The entry id matched. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** Whether probes ({@link JournalEntry#probe()}) are matched; true unless excluded. */
    public boolean probes() {
        return probes;
    }

    /** Where the page starts: only entries after the cursor's entry, newest first (older ones). */
    public Optional<Cursor> olderThan() {
        return Optional.ofNullable(olderThan);
    }

    /** The page size: at most this many entries are returned, newest first. */
    public int limit() {
        return limit;
    }

    /** Whether {@code entry} meets every criterion (the cursor and the limit aside: the journal applies them). */
    public boolean matches(JournalEntry entry) {
        return (from == null || !entry.receivedAt().isBefore(from))
                && (to == null || entry.receivedAt().isBefore(to))
                && (provider == null || provider.equals(entry.provider()))
                && (kind == null || kind.equals(entry.kind()))
                && (outcomes.isEmpty() || outcomes.contains(entry.outcome()))
                && entry.status() >= statusFrom && entry.status() < statusTo
                && (orderReference == null || entry.orderReferences().contains(orderReference))
                && (id == null || id.equals(entry.id()))
                && (probes || !entry.probe());
    }

    @Override
    public String toString() {
        return "JournalQuery[from=" + from + ", to=" + to + ", provider=" + provider + ", kind=" + kind
                + ", outcomes=" + outcomes + ", status=[" + statusFrom + ", " + statusTo + "), orderReference="
                + orderReference + ", id=" + id + ", probes=" + probes + ", olderThan=" + olderThan + ", limit=" + limit
                + "]";
    }

    /**
     * A place in the journal's newest-first order: the arrival time and id of the last entry of a
     * page. A journal continues after that entry; when the entry itself is gone (retention), after
     * every entry that arrived at the same instant. Its {@link #toString()} is a token for a URL, read back by {@link #parse(String)}.
     *
     * @param receivedAt the entry's arrival time
     * @param id the entry's id
     */
    public record Cursor(Instant receivedAt, String id) {

        /** @throws NullPointerException if a component is null */
        public Cursor {
            Objects.requireNonNull(receivedAt, "receivedAt");
            Objects.requireNonNull(id, "id");
        }

        /** The cursor just after {@code entry}: the next page starts with the entry after it. */
        public static Cursor of(JournalEntry entry) {
            return new Cursor(entry.receivedAt(), entry.id());
        }

        /**
         * Reads a token made by {@link #toString()}.
         *
         * @throws IllegalArgumentException if {@code token} is not one
         */
        public static Cursor parse(String token) {
            int at = token.indexOf('_');
            if (at < 1 || at == token.length() - 1) {
                throw new IllegalArgumentException("not a journal cursor: " + token);
            }
            try {
                return new Cursor(Instant.parse(token.substring(0, at)), token.substring(at + 1));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a journal cursor: " + token, e);
            }
        }

        /** {@code <ISO-8601 instant>_<id>}. */
        @Override
        public String toString() {
            return receivedAt + "_" + id;
        }
    }

    /** Builds a {@link JournalQuery}; not thread-safe. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private String provider;
        private String kind;
        private final Set<CallbackOutcome> outcomes = EnumSet.noneOf(CallbackOutcome.class);
        private int statusFrom = 100;
        private int statusTo = 600;
        private String orderReference;
        private String id;
        private boolean probes = true;
        private Cursor olderThan;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /** Entries received at or after {@code from}. */
        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** Entries received before {@code to}. */
        public Builder to(Instant to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** Entries of this provider only. */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Entries of this callback kind only. */
        public Builder kind(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Adds outcomes to match; with none, any outcome matches. */
        public Builder outcomes(CallbackOutcome... outcomes) {
            for (CallbackOutcome outcome : outcomes) {
                this.outcomes.add(Objects.requireNonNull(outcome, "outcome"));
            }
            return this;
        }

        /**
         * Entries answered with a status in {@code [from, to)}, e.g. {@code (400, 500)} for 4xx.
         *
         * @throws IllegalArgumentException unless {@code 100 <= from < to <= 600}
         */
        public Builder statuses(int from, int to) {
            if (from < 100 || to > 600 || from >= to) {
                throw new IllegalArgumentException("status range must be within [100, 600) and not empty: [" + from
                        + ", " + to + ")");
            }
            this.statusFrom = from;
            this.statusTo = to;
            return this;
        }

        /** Entries carrying this order reference (exactly) only. */
        public Builder orderReference(String orderReference) {
            this.orderReference = Objects.requireNonNull(orderReference, "orderReference");
            return this;
        }

        /** The entry with this id only. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Whether probes ({@link JournalEntry#probe()}) are matched; default true. */
        public Builder probes(boolean probes) {
            this.probes = probes;
            return this;
        }

        /** The page after {@code cursor}: only entries after its entry, newest first. */
        public Builder olderThan(Cursor cursor) {
            this.olderThan = Objects.requireNonNull(cursor, "cursor");
            return this;
        }

        /**
         * The page size; default {@value JournalQuery#DEFAULT_LIMIT}.
         *
         * @throws IllegalArgumentException if limit &lt; 1
         */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1: " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Builds the query.
         *
         * @throws IllegalStateException if {@code to} is before {@code from}
         */
        public JournalQuery build() {
            if (from != null && to != null && to.isBefore(from)) {
                throw new IllegalStateException("to (" + to + ") is before from (" + from + ")");
            }
            return new JournalQuery(this);
        }
    }
}
