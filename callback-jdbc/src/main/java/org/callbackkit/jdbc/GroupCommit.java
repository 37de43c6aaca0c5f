package org.callbackkit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Several callers' short transactions committed as one: one commit, one sync to disk, one
 * connection for all of them. On SQLite, which has one writer, they would take turns anyway; on
 * PostgreSQL, each commit is a round trip, a WAL flush and a pool checkout that a busy shop pays
 * per callback.
 *
 * <p>A caller queues its work. A caller that finds fewer batches being written than the writers
 * allowed (one on SQLite) writes one: it takes every work queued by then, gets a connection, runs
 * the works one after another in one transaction, commits once, and hands every caller its
 * work's result. Callers who arrive meanwhile queue for the next batch, which one of them writes
 * once a writer is free; nobody waits for a batch to fill, so a lone caller's transaction is
 * written at once. A work that throws ends the attempt: the transaction is rolled back, that
 * work's caller gets the failure, and the others' works run again in a new transaction (no
 * savepoints, which cost PostgreSQL two round trips per work while works almost never fail). A
 * failure to get the connection or to commit fails every work of the batch, and the works queued
 * meanwhile at once (their callers answer 503 after one connection wait, not two). {@link #run}
 * returns only once the transaction that holds the caller's work is committed: nothing is
 * acknowledged before its own writes are on disk.
 *
 * <p>A caller whose work is still queued after the connection wait gives up
 * ({@link SQLTransientConnectionException}, as when the connection does not come); one whose work
 * is being written waits for that commit, which the connection wait and the database's own
 * timeouts bound. Works must be short, must not wait for other callers (they hold the batch's
 * transaction for all), and must be safe to run again after a rollback, as a transaction retried
 * after a lost race is. Thread-safe.
 */
final class GroupCommit {

    /** Where the batch's connection comes from: the store's bounded connections. */
    @FunctionalInterface
    interface Connections {
        /** A connection that can write, within {@code within}. */
        Connection get(Duration within) throws SQLException;
    }

    /** The least a batch's writer waits for the connection, however little is left of its own wait. */
    private static final Duration MIN_CONNECTION_WAIT = Duration.ofMillis(10);

    private final Connections connections;
    private final Duration queueWait;
    private final int writers;
    private final ReentrantLock lock = new ReentrantLock();
    private List<Member<?>> queue = new ArrayList<>(); // guarded by lock
    private int writing; // batches being written; guarded by lock

    /**
     * Batches written on connections of {@code connections}, at most {@code writers} at a time; a
     * queued caller waits at most {@code queueWait}.
     *
     * @throws IllegalArgumentException if {@code writers} is less than 1
     */
    GroupCommit(Connections connections, Duration queueWait, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1: " + writers);
        }
        this.connections = connections;
        this.queueWait = queueWait;
        this.writers = writers;
    }

    /**
     * Runs {@code work} in a transaction shared with other callers' works, and returns its result
     * once that transaction is committed. With {@code oneStatement}, a work written alone (no
     * other caller's work waits) runs in auto-commit instead: the database runs its one statement
     * as one implicit transaction, in one round trip where a transaction takes two (a begin with
     * the first statement, the commit).
     *
     * @throws SQLException what the work threw (its writes rolled back, the others' kept), or what
     *     getting the connection, beginning or committing threw (nothing of the batch kept; also
     *     thrown to callers queued while that batch was written, whose works never ran), or an
     *     {@link SQLTransientConnectionException} (SQLSTATE 08001) if the work was still queued after
     *     the wait, or the thread was interrupted while it was queued (its interrupt status stays set)
     */
    <T> T run(Jdbc.Work<T> work, boolean oneStatement) throws SQLException {
        Member<T> mine = new Member<>(work, oneStatement, lock.newCondition());
        List<Member<?>> batch;
        Duration within;
        lock.lock();
        try {
            queue.add(mine);
            long left = queueWait.toNanos();
            while (!mine.done && (writing >= writers || mine.taken)) {
                if (mine.taken) { // being written: the commit comes within the connection wait and busy_timeout
                    mine.woken.awaitUninterruptibly();
                    continue;
                }
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    queue.remove(mine);
                    throw new SQLTransientConnectionException("the database took no write for " + queueWait, "08001");
                }
                try {
                    left = mine.woken.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // seen at the top of the loop
                }
            }
            if (mine.done) {
                return mine.result();
            }
            writing++;
            batch = queue;
            queue = new ArrayList<>();
            batch.forEach(member -> member.taken = true);
            // what is left of this caller's wait, not a new one: a caller queued behind a slow batch
            // answers within one connection wait in all
            within = Duration.ofNanos(Math.max(left, MIN_CONNECTION_WAIT.toNanos()));
        } finally {
            lock.unlock();
        }
        try {
            write(batch, within);
        } finally {
            lock.lock();
            try {
                writing--;
                if (!queue.isEmpty()) { // the next batch's writer; the others sleep on until theirs is written
                    queue.get(0).woken.signal();
                }
            } finally {
                lock.unlock();
            }
        }
        return mine.result();
    }

    /** Works queued for the next batch, not yet taken (tests). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code batch} in one transaction, on a connection that comes within {@code within}, and ends every member: with its result once committed, or a failure. */
    private void write(List<Member<?>> batch, Duration within) {
        Throwable batchFailure = null;
        try (Connection connection = connections.get(within)) {
            List<Member<?>> left = batch;
            if (batch.size() == 1 && batch.get(0).oneStatement) {
                batch.get(0).runAlone(connection);
                left = List.of();
            }
            while (!left.isEmpty()) {
                left = attempt(connection, left);
            }
        } catch (Throwable e) {
            batchFailure = e;
        }
        lock.lock(); // publishes the results and failures with done
        try {
            for (Member<?> member : batch) {
                if (member.failure == null) {
                    member.failure = batchFailure; // null: committed
                }
                member.done = true;
                member.woken.signal();
            }
            if (batchFailure != null) { // the database is failing: those queued meanwhile fail now, not a wait later
                for (Member<?> member : queue) {
                    member.failure = batchFailure;
                    member.done = true;
                    member.woken.signal();
                }
                queue = new ArrayList<>();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the works of {@code members} in one transaction on {@code connection} and commits it;
     * returns nothing left to write. If a work throws, the transaction is rolled back, that member
     * keeps the failure, and the others are returned, to be written again without it.
     *
     * @throws SQLException if beginning, committing or rolling back failed: nothing of the attempt is kept
     */
    private static List<Member<?>> attempt(Connection connection, List<Member<?>> members) throws SQLException {
        try {
            Jdbc.inTransactionOn(connection, shared -> {
                for (Member<?> member : members) {
                    member.runOn(shared);
                }
                return null;
            });
            return List.of();
        } catch (WorkFailed e) {
            for (Throwable rollback : e.getSuppressed()) { // the connection is broken: so is the batch
                if (rollback instanceof SQLException sql) {
                    throw sql;
                }
            }
            List<Member<?>> others = new ArrayList<>(members);
            others.remove(e.member);
            return others;
        }
    }

    /** A member's work threw, and the attempt that ran it is rolled back; the member keeps what was thrown. */
    private static final class WorkFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Member<?> member;

        WorkFailed(Member<?> member) {
            super(null, null, true, false); // control flow: no stack trace to fill; a failed rollback is added
            this.member = member;
        }
    }

    /** One caller's work in a batch: queued, taken, then done with a result or a failure. */
    private static final class Member<T> {
        private final Jdbc.Work<T> work;
        private final boolean oneStatement;
        // written by the batch's writer before it sets done under the lock; read by the caller after it saw done
        private T result;
        private Throwable failure;
        private boolean taken; // guarded by the lock
        private boolean done; // guarded by the lock

        /** Signalled when the member is done, or is the first queued once a batch is written (it writes the next). */
        private final Condition woken;

        Member(Jdbc.Work<T> work, boolean oneStatement, Condition woken) {
            this.work = work;
            this.oneStatement = oneStatement;
            this.woken = woken;
        }

        /** Runs the work in auto-commit, keeping its result or what it threw (its own failure, as in a batch). */
        void runAlone(Connection connection) {
            try {
                result = Jdbc.inAutoCommitOn(connection, work);
            } catch (Throwable e) {
                failure = e;
            }
        }

        /** Runs the work; if it throws, keeps what it threw and throws {@link WorkFailed} to roll the attempt back. */
        void runOn(Connection connection) {
            try {
                result = work.run(connection);
            } catch (Throwable e) {
                failure = e;
                throw new WorkFailed(this);
            }
        }

        T result() throws SQLException {
            if (failure == null) {
                return result;
            }
            if (failure instanceof SQLException sql) {
                throw sql;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the shared transaction failed", failure);
        }
    }
}
