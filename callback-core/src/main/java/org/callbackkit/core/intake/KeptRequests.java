package org.callbackkit.core.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The requests a router keeps, whole, for re-dispatch: by journal id, in memory only, each for
 * at most the retention and at most the newest {@code capacity}. Thread-safe.
 */
final class KeptRequests {

    private record Kept(CallbackRequest request, Instant until) {
    }

    private final Clock clock;
    private final Duration retention;
    private final int capacity;
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(); // guarded by itself, oldest first

    KeptRequests(Clock clock, Duration retention, int capacity) {
        this.clock = clock;
        this.retention = retention;
        this.capacity = capacity;
    }

    void keep(String id, CallbackRequest request) {
        synchronized (kept) {
            expire();
            kept.put(id, new Kept(request, clock.instant().plus(retention)));
            if (kept.size() > capacity) {
                Iterator<Map.Entry<String, Kept>> oldest = kept.entrySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    Optional<CallbackRequest> get(String id) {
        synchronized (kept) {
            expire();
            return Optional.ofNullable(kept.get(id)).map(Kept::request);
        }
    }

    Optional<Instant> until(String id) {
        synchronized (kept) {
            expire();
            return Optional.ofNullable(kept.get(id)).map(Kept::until);
        }
    }

    private void expire() {
        Instant now = clock.instant();
        Iterator<Kept> oldest = kept.values().iterator();
        while (oldest.hasNext() && !oldest.next().until().isAfter(now)) {
            oldest.remove();
        }
    }
}
