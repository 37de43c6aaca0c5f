package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections of a pool within a bound, whatever the pool's own timeout (HikariCP waits 30 s by
 * default): the caller asks the pool on its own thread, so that a data source that binds
 * connections to the thread still finds its own, and a watchdog interrupts the wait once the
 * bound is up. HikariCP, DBCP, Tomcat's pool, c3p0 and the store's own SQLite connection end a
 * wait on interrupt (sqlite-jdbc works in native code, which an interrupt never reaches). The
 * interrupt is the watchdog's only: the caller's interrupt status is as it was when it returns.
 *
 * <p>A connection counts only once it can write ({@link Dialect#awaitWritable}): on SQLite, once
 * the file's write lock could be taken within what is left of the bound, so that another process
 * holding the lock is an outage like a server that does not answer.
 *
 * <p>Once an attempt failed, the database is taken to be down ({@link #knownDown()}) until one
 * succeeds: then one caller at a time tries (and waits), and the others fail at once, so that an
 * outage holds one thread, not every caller's, and is answered at once; work that can wait, the
 * journal's, does not try at all. Thread-safe.
 */
final class BoundedConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedConnections.class);
    private static final AtomicInteger WATCHDOGS = new AtomicInteger();

    private final DataSource dataSource;
    private final Duration bound;
    private final Dialect dialect;
    private final Watchdog watchdog;
    private final AtomicBoolean trying = new AtomicBoolean();
    private volatile boolean down;

    /** Connections of {@code dataSource}, a database of {@code dialect}, that can write within {@code bound}. */
    BoundedConnections(DataSource dataSource, Duration bound, Dialect dialect) {
        this.dataSource = dataSource;
        this.bound = bound;
        this.dialect = dialect;
        this.watchdog = new Watchdog("callbackkit-connection-watchdog-" + WATCHDOGS.incrementAndGet(), bound);
    }

    /** How long a caller waits for a connection. */
    Duration bound() {
        return bound;
    }

    /**
     * A connection of the pool, within the bound.
     *
     * @throws SQLException what the pool threw, or an {@link SQLTransientConnectionException}
     *     (SQLSTATE 08001) if none that can write came within the bound, or the database is down
     *     and another caller is trying it; (SQLSTATE 08003) once closed
     */
    Connection get() throws SQLException {
        return get(bound);
    }

    /**
     * Like {@link #get()}, within {@code within} instead of the bound: for a caller that already
     * spent part of its wait (a shared transaction's writer, queued behind another batch).
     *
     * @throws SQLException as {@link #get()}, with {@code within} for the bound
     */
    Connection get(Duration within) throws SQLException {
        if (!down) {
            return attempt(within);
        }
        if (!trying.compareAndSet(false, true)) {
            throw new SQLTransientConnectionException("the database is down; another request is trying it", "08001");
        }
        try {
            return attempt(within);
        } finally {
            trying.set(false);
        }
    }

    private Connection attempt(Duration within) throws SQLException {
        long start = System.nanoTime();
        Connection connection = obtain(within);
        try {
            dialect.awaitWritable(connection, within.minusNanos(System.nanoTime() - start));
        } catch (SQLException e) {
            down = true;
            try {
                connection.close();
            } catch (SQLException close) {
                e.addSuppressed(close);
            }
            throw new SQLTransientConnectionException("the database cannot take a write within " + within, "08001", e);
        }
        return remember(connection);
    }

    private Connection obtain(Duration within) throws SQLException {
        if (watchdog.closed()) { // no wait would be bounded
            throw new SQLTransientConnectionException("the store's connections are closed", "08003");
        }
        if (Thread.currentThread().isInterrupted()) { // nothing of ours to undo
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                down = true;
                throw e;
            }
        }
        Wait wait = new Wait(Thread.currentThread(), System.nanoTime() + within.toNanos());
        watchdog.watch(wait);
        Connection connection = null;
        SQLException failure = null;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            failure = e;
        } finally {
            watchdog.forget(wait);
            if (wait.end()) {
                Thread.interrupted(); // ours, delivered before end() returned: clear it
            }
        }
        if (failure == null) {
            return connection;
        }
        down = true;
        if (wait.expired()) {
            throw new SQLTransientConnectionException("no connection from the pool within " + within, "08001", failure);
        }
        throw failure;
    }

    /** Whether the last attempt to get a connection failed, and none succeeded since. */
    boolean knownDown() {
        return down;
    }

    /** Ends the watchdog thread; a later {@link #get} throws (SQLSTATE 08003). */
    @Override
    public void close() {
        watchdog.close();
    }

    /** Waits in progress that the watchdog still watches; for tests. */
    int watched() {
        return watchdog.waits.size();
    }

    /** The watchdog's thread; for tests. */
    Thread watchdogThread() {
        return watchdog.thread;
    }

    private Connection remember(Connection connection) {
        down = false;
        return connection;
    }

    /**
     * One thread that interrupts the waits that outlive their deadline. A wait costs its caller an
     * add to and a remove from a concurrent set. The thread sleeps until the earliest deadline it
     * knows of, and never longer than one bound, so that a new wait (due at the earliest one bound
     * after it began) wakes it only when it is due before that. (A scheduled executor's task per
     * wait woke its thread at nearly every wait: about 7 us of the caller's time and 13 us of CPU
     * per connection on a 2-core VM.)
     */
    private static final class Watchdog implements Runnable {
        private final Set<Wait> waits = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private final long boundNanos;
        /** When the thread looks next ({@link System#nanoTime()}); a wait due before it wakes the thread. */
        private volatile long wakeAt;
        private volatile boolean closed;

        Watchdog(String name, Duration bound) {
            boundNanos = bound.toNanos();
            wakeAt = System.nanoTime();
            thread = new Thread(this, name);
            thread.setDaemon(true); // a host that forgets close() still exits
            thread.start();
        }

        void watch(Wait wait) {
            waits.add(wait);
            if (wait.deadline - wakeAt < 0) {
                LockSupport.unpark(thread);
            }
        }

        void forget(Wait wait) {
            waits.remove(wait);
        }

        boolean closed() {
            return closed;
        }

        void close() {
            closed = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (!closed) {
                Thread.interrupted(); // close() ends this thread, nothing else: a stray interrupt would make it spin
                try {
                    watchOnce();
                } catch (RuntimeException | Error e) { // the bound of every wait rests on this thread
                    LOG.error("The connection watchdog failed; it goes on", e);
                }
            }
        }

        /**
         * Tells the latest time it looks next, then looks, then tells when: a wait added before the
         * first telling is seen by the look, and a caller that reads either time wakes the thread
         * if its wait is due before it.
         */
        private void watchOnce() {
            long latest = System.nanoTime() + boundNanos;
            wakeAt = latest;
            long next = latest;
            long now = System.nanoTime();
            for (Wait wait : waits) {
                if (wait.deadline - now <= 0) {
                    wait.expire();
                    waits.remove(wait);
                } else if (wait.deadline - next < 0) {
                    next = wait.deadline;
                }
            }
            wakeAt = next;
            LockSupport.parkNanos(this, next - System.nanoTime());
        }
    }

    /** One caller's wait: the watchdog interrupts it only while it still waits. */
    private static final class Wait {
        private final Thread waiter;
        /** When the wait is up ({@link System#nanoTime()}). */
        final long deadline;
        private boolean over; // guarded by this
        private boolean expired; // guarded by this

        Wait(Thread waiter, long deadline) {
            this.waiter = waiter;
            this.deadline = deadline;
        }

        synchronized void expire() {
            if (!over) {
                expired = true;
                waiter.interrupt();
            }
        }

        /** Ends the wait; true if the watchdog interrupted it. */
        synchronized boolean end() {
            over = true;
            return expired;
        }

        synchronized boolean expired() {
            return expired;
        }
    }
}
