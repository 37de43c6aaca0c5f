package org.callbackkit.core.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.callbackkit.core.RetrySchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DelayedActionScheduler} in memory: quick, and lost on restart (pending actions are
 * gone when the process ends; use the JDBC scheduler where they must survive).
 *
 * <p>With {@link Builder#threads(int) threads} &gt; 0 (default 2), worker threads poll for due
 * actions every {@link Builder#pollInterval(Duration) poll interval} and run them; actions due at
 * scheduling start at once. With 0 threads nothing runs by itself: whoever holds the scheduler
 * calls {@link #runDue()}, as the test scheduler and hosts with their own trigger do.
 * Time is read from the injected {@link Clock}.
 */
public final class InMemoryDelayedActionScheduler implements DelayedActionScheduler {

    /**
     * The retries of types registered without a schedule, unless the builder says otherwise:
     * 10 attempts, exponential from 30 s, doubling, at most 1 h apart.
     */
    public static final RetrySchedule DEFAULT_RETRIES =
            RetrySchedule.exponential(Duration.ofSeconds(30), 2.0, Duration.ofHours(1), 10);

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryDelayedActionScheduler.class);
    private static final int MAX_RUNS_PER_CALL = 100_000;

    private final Clock clock;
    private final RetrySchedule defaultRetries;
    private final Duration overdueAfter;
    private final Duration closeTimeout;
    private final int threads;
    private final ScheduledExecutorService executor;

    private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Map<ActionId, Entry> entries = new HashMap<>();
    private final PriorityQueue<Entry> waiting = new PriorityQueue<>(
            Comparator.comparing((Entry e) -> e.action.runAt()).thenComparingLong(e -> e.sequence));
    private final Map<ActionId, DeadAction> dead = new LinkedHashMap<>();
    private long sequence;
    private int running;
    private boolean closed;

    private InMemoryDelayedActionScheduler(Builder builder) {
        this.clock = builder.clock;
        this.defaultRetries = builder.retries;
        this.overdueAfter = builder.overdueAfter;
        this.closeTimeout = builder.closeTimeout;
        this.threads = builder.threads;
        if (threads > 0) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, new WorkerThreads());
            pool.setRemoveOnCancelPolicy(true);
            long poll = builder.pollInterval.toMillis();
            pool.scheduleWithFixedDelay(this::dispatchDue, poll, poll, TimeUnit.MILLISECONDS);
            this.executor = pool;
        } else {
            this.executor = null;
        }
    }

    /** A builder with the defaults: system clock, 2 worker threads, {@link #DEFAULT_RETRIES}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void register(String type, ActionHandler handler, RetrySchedule retries) {
        Objects.requireNonNull(type, "type");
        Registration registration = new Registration(Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(retries, "retries"));
        if (handlers.putIfAbsent(type, registration) != null) {
            throw new IllegalStateException("a handler is already registered for action type " + type);
        }
    }

    @Override
    public RetrySchedule defaultRetries() {
        return defaultRetries;
    }

    @Override
    public boolean schedule(DelayedAction action) {
        Objects.requireNonNull(action, "action");
        ActionId id = new ActionId(action.type(), action.key());
        boolean dueNow;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("scheduler is closed; not scheduled: " + action);
            }
            Entry existing = entries.get(id);
            if (existing != null) {
                if (!existing.running || existing.followUp != null) {
                    return false;
                }
                existing.followUp = action;
                return true;
            }
            dead.remove(id);
            enqueue(new Entry(id, action, sequence++));
            dueNow = !action.runAt().isAfter(clock.instant());
        } finally {
            lock.unlock();
        }
        if (dueNow && executor != null) {
            try {
                executor.execute(this::dispatchDue);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: the action stays pending, as any other at close
            }
        }
        return true;
    }

    @Override
    public boolean runNow(String type, String key) {
        ActionId id = new ActionId(Objects.requireNonNull(type, "type"), Objects.requireNonNull(key, "key"));
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("scheduler is closed; not run: " + type + " " + key);
            }
            Instant now = clock.instant();
            Entry existing = entries.get(id);
            if (existing != null) {
                if (existing.running) {
                    return false;
                }
                waiting.remove(existing);
                existing.action = existing.action.withRunAt(now);
                waiting.add(existing);
            } else {
                DeadAction buried = dead.remove(id);
                if (buried == null) {
                    return false;
                }
                enqueue(new Entry(id, buried.action().withRunAt(now), sequence++));
            }
        } finally {
            lock.unlock();
        }
        if (executor != null) {
            try {
                executor.execute(this::dispatchDue);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: the action stays pending, as any other at close
            }
        }
        return true;
    }

    /**
     * Runs, on the calling thread, every action due now, including retries and follow-ups that
     * become due while it runs; returns how many runs were made. The worker threads call this
     * logic themselves; call it directly only with 0 threads.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public int runDue() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("scheduler is closed");
            }
        } finally {
            lock.unlock();
        }
        int runs = 0;
        while (runs < MAX_RUNS_PER_CALL) {
            Entry entry = claimDue();
            if (entry == null) {
                return runs;
            }
            execute(entry);
            runs++;
        }
        return runs;
    }

    @Override
    public List<PendingAction> pending() {
        lock.lock();
        try {
            return entries.values().stream()
                    .sorted(Comparator.comparing((Entry e) -> e.action.runAt()).thenComparingLong(e -> e.sequence))
                    .map(e -> new PendingAction(e.action, e.attempts, e.running, Optional.ofNullable(e.lastError)))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadAction> dead() {
        lock.lock();
        try {
            return List.copyOf(dead.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SchedulerHealth health() {
        Instant overdueBefore = clock.instant().minus(overdueAfter);
        lock.lock();
        try {
            int overdue = 0;
            Instant oldest = null;
            for (Entry entry : waiting) {
                Instant runAt = entry.action.runAt();
                if (runAt.isBefore(overdueBefore)) {
                    overdue++;
                    if (oldest == null || runAt.isBefore(oldest)) {
                        oldest = runAt;
                    }
                }
            }
            return new SchedulerHealth(waiting.size(), overdue, running, dead.size(), Optional.ofNullable(oldest));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (executor != null) {
            executor.shutdown();
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("Closed with {} delayed actions still running after {}", running, closeTimeout);
                    break;
                }
                idle.awaitNanos(left);
            }
            if (!entries.isEmpty()) {
                LOG.warn("Closed with {} pending delayed actions; an in-memory scheduler loses them", entries.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Claims as many due actions as there are idle workers and hands them to the workers. */
    private void dispatchDue() {
        try {
            while (true) {
                Entry entry;
                lock.lock();
                try {
                    if (running >= threads) {
                        return;
                    }
                    entry = claimDueLocked();
                } finally {
                    lock.unlock();
                }
                if (entry == null) {
                    return;
                }
                try {
                    executor.execute(() -> {
                        execute(entry);
                        dispatchDue();
                    });
                } catch (RejectedExecutionException e) { // closing: hand the claimed action back
                    release(entry);
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Dispatching delayed actions failed", e);
        }
    }

    private void release(Entry entry) {
        lock.lock();
        try {
            entry.running = false;
            running--;
            waiting.add(entry);
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next due action, claimed; null when none is due or the scheduler closed meanwhile. */
    private Entry claimDue() {
        lock.lock();
        try {
            return claimDueLocked();
        } finally {
            lock.unlock();
        }
    }

    private Entry claimDueLocked() {
        if (closed) {
            return null;
        }
        Entry head = waiting.peek();
        if (head == null || head.action.runAt().isAfter(clock.instant())) {
            return null;
        }
        waiting.poll();
        head.running = true;
        running++;
        return head;
    }

    private void execute(Entry entry) {
        DelayedAction action = entry.action;
        int attempt = entry.attempts + 1;
        Registration registration = handlers.get(action.type());
        RetrySchedule retries = registration == null ? defaultRetries : registration.retries;
        ActionResult result;
        String error;
        if (registration == null) {
            result = null;
            error = "no handler registered for action type " + action.type();
        } else {
            try {
                result = registration.handler.execute(new ActionContext(action, attempt));
                error = result == null ? "handler returned no result" : result.reason();
            } catch (Throwable e) { // whatever the handler throws, the action is finished and retried
                result = null;
                error = e.toString();
                LOG.warn("Delayed action {} {} failed on attempt {}", action.type(), action.key(), attempt, e);
                if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
                    finish(entry, attempt, null, error, retries);
                    throw fatal;
                }
            }
        }
        finish(entry, attempt, result, error, retries);
    }

    private void finish(Entry entry, int attempt, ActionResult result, String error, RetrySchedule retries) {
        lock.lock();
        try {
            entry.running = false;
            running--;
            entry.attempts = attempt;
            Instant now = clock.instant();
            ActionResult.Kind kind = result == null ? ActionResult.Kind.RETRY : result.kind();
            Optional<Duration> next = retries.nextAttemptAfter(attempt);
            if (kind == ActionResult.Kind.DONE) {
                entries.remove(entry.id);
                startFollowUp(entry);
            } else if (kind == ActionResult.Kind.GIVE_UP || next.isEmpty()) {
                entries.remove(entry.id);
                dead.put(entry.id, new DeadAction(entry.action, attempt, error, now));
                LOG.warn("Delayed action {} {} is dead after {} attempts: {}", entry.action.type(), entry.action.key(),
                        attempt, error);
                startFollowUp(entry);
            } else {
                Duration delay = result == null ? next.get() : result.delay().orElse(next.get());
                Instant runAt = now.plus(delay);
                DelayedAction retry = entry.action.withRunAt(runAt);
                if (entry.followUp != null) { // newer news: retry with it, no later than it asked
                    DelayedAction followUp = entry.followUp;
                    retry = followUp.withRunAt(followUp.runAt().isBefore(runAt) ? followUp.runAt() : runAt);
                    entry.followUp = null;
                    entry.attempts = 0; // new work gets its full retries
                }
                entry.action = retry;
                entry.lastError = error;
                waiting.add(entry);
            }
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void startFollowUp(Entry finished) {
        if (finished.followUp != null) { // new work supersedes what just ended, dead or done
            dead.remove(finished.id);
            enqueue(new Entry(finished.id, finished.followUp, sequence++));
        }
    }

    private void enqueue(Entry entry) {
        entries.put(entry.id, entry);
        waiting.add(entry);
    }

    private record ActionId(String type, String key) {
    }

    private record Registration(ActionHandler handler, RetrySchedule retries) {
    }

    private static final class Entry {
        final ActionId id;
        final long sequence;
        DelayedAction action;
        int attempts;
        boolean running;
        String lastError;
        DelayedAction followUp;

        Entry(ActionId id, DelayedAction action, long sequence) {
            this.id = id;
            this.action = action;
            this.sequence = sequence;
        }
    }

    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "callback-actions-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /**
     * Builds an {@link InMemoryDelayedActionScheduler}; each value is checked as it is set.
     * Not thread-safe.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private RetrySchedule retries = DEFAULT_RETRIES;
        private Duration overdueAfter = Duration.ofMinutes(5);
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private int threads = 2;

        private Builder() {
        }

        /** The clock that decides when an action is due; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The retry schedule of types registered without one; default {@link #DEFAULT_RETRIES}. */
        public Builder defaultRetries(RetrySchedule retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /**
         * How long past its time an action may wait before {@link #health()} calls it overdue;
         * default 5 min.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder overdueAfter(Duration overdueAfter) {
            if (overdueAfter.isNegative()) {
                throw new IllegalArgumentException("overdueAfter must not be negative: " + overdueAfter);
            }
            this.overdueAfter = overdueAfter;
            return this;
        }

        /**
         * How often idle workers look for due actions; default 500 ms.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder pollInterval(Duration pollInterval) {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * How long {@link #close()} waits for running actions; default 30 s.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration closeTimeout) {
            if (closeTimeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative: " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Worker threads; default 2. With 0, actions run only when {@link #runDue()} is called.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must not be negative: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Builds the scheduler and, with threads &gt; 0, starts its workers. */
        public InMemoryDelayedActionScheduler build() {
            return new InMemoryDelayedActionScheduler(this);
        }
    }
}
