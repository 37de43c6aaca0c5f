package org.callbackkit.core.journal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.callbackkit.core.intake.CallbackOutcome;

/**
 * Which journal entries to find: a time range {@code [from, to)}, a provider, a kind, a set of
 * outcomes, and at most how many (newest first). Every criterion left out matches everything.
 * Immutable; build with {@link #builder()}.
 */
public final class JournalQuery {

    private final Instant from;
    private final Instant to;
    private final String provider;
    private final String kind;
    private final Set<CallbackOutcome> outcomes;
    private final int limit;

    private JournalQuery(Builder builder) {
        this.from = builder.from;
        this.to = builder.to;
        this.provider = builder.provider;
        this.kind = builder.kind;
        this.outcomes = builder.outcomes.isEmpty() ? Set.of() : Set.copyOf(builder.outcomes);
        this.limit = builder.limit;
    }

    /** Matches every entry, up to the default limit of 100. */
    public static JournalQuery all() {
        return builder().build();
    }

    /** A builder matching everything, up to 100 entries. */
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

    /** At most this many entries are returned, newest first. */
    public int limit() {
        return limit;
    }

    /** Whether {@code entry} meets every criterion (the limit aside). */
    public boolean matches(JournalEntry entry) {
        return (from == null || !entry.receivedAt().isBefore(from))
                && (to == null || entry.receivedAt().isBefore(to))
                && (provider == null || provider.equals(entry.provider()))
                && (kind == null || kind.equals(entry.kind()))
                && (outcomes.isEmpty() || outcomes.contains(entry.outcome()));
    }

    @Override
    public String toString() {
        return "JournalQuery[from=" + from + ", to=" + to + ", provider=" + provider + ", kind=" + kind
                + ", outcomes=" + outcomes + ", limit=" + limit + "]";
    }

    /** Builds a {@link JournalQuery}; not thread-safe. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private String provider;
        private String kind;
        private final Set<CallbackOutcome> outcomes = EnumSet.noneOf(CallbackOutcome.class);
        private int limit = 100;

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
         * At most this many entries, newest first; default 100.
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
