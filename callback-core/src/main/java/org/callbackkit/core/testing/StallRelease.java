package org.callbackkit.core.testing;

import java.time.Duration;

/**
 * Holds stalled answers of a {@link FakeProviderServer} until the test releases them or the server
 * closes. A request takes a ticket when it arrives, before the test can see it, so that a release
 * made after the test saw the request always frees it, even if its handler has not yet begun to
 * wait.
 */
final class StallRelease {

    /** The longest an answer is held, so that a forgotten stall cannot hang a build. */
    static final Duration LONGEST_HOLD = Duration.ofSeconds(60);

    private long releases;
    private boolean closed;

    synchronized long ticket() {
        return releases;
    }

    /**
     * Waits until a release after {@code ticket} was taken, or until the server closes.
     *
     * @return true if released, false if closed or held for {@link #LONGEST_HOLD}: then no answer is sent
     */
    synchronized boolean await(long ticket) throws InterruptedException {
        long deadline = System.nanoTime() + LONGEST_HOLD.toNanos();
        while (!closed && releases == ticket) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(remaining / 1_000_000 + 1);
        }
        return !closed;
    }

    synchronized void releaseAll() {
        releases++;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
