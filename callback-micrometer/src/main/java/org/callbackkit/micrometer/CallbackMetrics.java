package org.callbackkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.callbackkit.core.ProviderApiCall;
import org.callbackkit.core.ProviderApiListener;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * Micrometer meters for Callback Kit, on any {@link MeterRegistry}, with or without Spring.
 *
 * <pre>{@code
 * CallbackMetrics metrics = new CallbackMetrics(registry);
 * CallbackJournal journal = metrics.journal(new InMemoryCallbackJournal());       // 1. callbacks, latency
 * DelayedActionScheduler scheduler = metrics.scheduler(store.scheduler());        // 2. action runs, gauges
 * KlarnaCallbacks klarna = KlarnaCallbacks.builder()...scheduler(scheduler)
 *         .apiListener(metrics.apiListener()).build();                             // 3. provider API calls
 * CallbackRouter router = CallbackRouter.builder().journal(journal).endpoints(klarna.endpoints()).build();
 * }</pre>
 *
 * <p>The meters, each tag bounded (an endpoint's provider and kind, an enum, an action type, a
 * path template, a status class; never an order id, a transaction id or a concrete path):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #CALLBACKS}</td><td>counter</td><td>provider, kind, outcome</td></tr>
 *   <tr><td>{@value #CALLBACK_LATENCY}</td><td>timer</td><td>provider, kind, outcome</td></tr>
 *   <tr><td>{@value #ACTIONS_PENDING}, {@value #ACTIONS_OVERDUE}, {@value #ACTIONS_RUNNING},
 *       {@value #ACTIONS_DEAD}</td><td>gauges</td><td>none</td></tr>
 *   <tr><td>{@value #ACTION_RUNS}</td><td>timer</td><td>type, result</td></tr>
 *   <tr><td>{@value #PROVIDER_CALLS}</td><td>timer</td><td>provider, operation, status</td></tr>
 * </table>
 * A request that matched no endpoint has provider and kind {@value JournalEntry#UNMATCHED}; an
 * outcome is the {@link org.callbackkit.core.intake.CallbackOutcome} in lower case
 * ({@code accepted}, {@code rejected_input}, ...).
 *
 * <p>Why decorators and a listener rather than hooks in the router and the schedulers: the
 * router journals every request exactly once, whatever became of it, and each {@link JournalEntry}
 * already holds provider, kind, outcome and latency, so a journal that counts what it records
 * counts every answered request, with no second code path that could disagree with the journal.
 * Likewise every action runs through the {@link org.callbackkit.core.schedule.ActionHandler} its
 * module registered, in the in-memory and the durable scheduler alike, so wrapping the handlers at
 * registration times each run without touching either scheduler. Provider API calls leave through
 * core's {@code ProviderHttp}, which tells a {@link ProviderApiListener}.
 *
 * <p>Thread-safe. Holds no static state: two instances on two registries are independent.
 */
public final class CallbackMetrics {

    /**
     * Counter of journal entries: every request the router answered, plus the few notes a module
     * journals of its own (Klarna's {@code push.completed}, method {@code ACTION}, when a push and
     * not the shopper's browser confirmed an order), each under its own kind.
     */
    public static final String CALLBACKS = "callbackkit.callbacks";
    /** Timer of the time from a callback's arrival to its answer. */
    public static final String CALLBACK_LATENCY = "callbackkit.callback.latency";
    /** Gauge of delayed actions waiting to run, overdue ones included. */
    public static final String ACTIONS_PENDING = "callbackkit.actions.pending";
    /** Gauge of delayed actions whose time has passed well beyond the poll interval: work that is not running. */
    public static final String ACTIONS_OVERDUE = "callbackkit.actions.overdue";
    /** Gauge of delayed actions running now. */
    public static final String ACTIONS_RUNNING = "callbackkit.actions.running";
    /** Gauge of delayed actions that used up their retries or gave up, kept for an operator. */
    public static final String ACTIONS_DEAD = "callbackkit.actions.dead";
    /** Timer of delayed action runs. */
    public static final String ACTION_RUNS = "callbackkit.action.runs";
    /** Timer of calls to providers' APIs. */
    public static final String PROVIDER_CALLS = "callbackkit.provider.calls";

    private final MeterRegistry registry;
    private final long healthMaxAgeNanos;

    /**
     * Metrics on {@code registry}. Meters appear as they are first used, the gauges when
     * {@link #scheduler(DelayedActionScheduler)} is called.
     *
     * @throws NullPointerException if registry is null
     */
    public CallbackMetrics(MeterRegistry registry) {
        this(registry, Duration.ofSeconds(1));
    }

    /** As the public constructor, with the scheduler's health read again once it is {@code healthMaxAge} old. */
    CallbackMetrics(MeterRegistry registry, Duration healthMaxAge) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.healthMaxAgeNanos = healthMaxAge.toNanos();
    }

    /**
     * A journal that records in {@code journal} and counts and times every entry
     * ({@value #CALLBACKS}, {@value #CALLBACK_LATENCY}). Give the returned journal to the router
     * (and to the journal page: it answers {@code find} from {@code journal}); keep {@code journal}
     * itself for whatever else it offers (closing a durable one). An entry is counted even when
     * {@code journal} fails to record it.
     *
     * @throws NullPointerException if journal is null
     */
    public CallbackJournal journal(CallbackJournal journal) {
        return new MeteredCallbackJournal(Objects.requireNonNull(journal, "journal"), this);
    }

    /**
     * A scheduler that delegates to {@code scheduler} and times every run of every action
     * registered through it ({@value #ACTION_RUNS}), and the four gauges of
     * {@code scheduler}'s {@link DelayedActionScheduler#health() health}
     * ({@value #ACTIONS_PENDING}, {@value #ACTIONS_OVERDUE}, {@value #ACTIONS_RUNNING},
     * {@value #ACTIONS_DEAD}), read at most once a second however many gauges are read, since a
     * durable scheduler's health is a database query. Give the returned scheduler to the provider
     * modules, so that they register their handlers through it; keep {@code scheduler} itself for
     * its lifecycle. One scheduler per registry: the gauges of a second one would not be
     * registered (Micrometer keeps the first gauge of a name).
     *
     * @throws NullPointerException if scheduler is null
     */
    public DelayedActionScheduler scheduler(DelayedActionScheduler scheduler) {
        MeteredDelayedActionScheduler metered =
                new MeteredDelayedActionScheduler(Objects.requireNonNull(scheduler, "scheduler"), this);
        HealthSnapshot health = new HealthSnapshot(scheduler, healthMaxAgeNanos);
        gauge(ACTIONS_PENDING, "Delayed actions waiting to run, overdue ones included", health, SchedulerHealth::pending);
        gauge(ACTIONS_OVERDUE, "Delayed actions overdue: their time passed and they did not run", health,
                SchedulerHealth::overdue);
        gauge(ACTIONS_RUNNING, "Delayed actions running now", health, SchedulerHealth::running);
        gauge(ACTIONS_DEAD, "Delayed actions that will not be retried, kept for an operator", health,
                SchedulerHealth::dead);
        return metered;
    }

    /**
     * The listener to give to each provider module's builder ({@code apiListener(...)}, or
     * {@code BlockonomicsApi.create(...)}): times every call to a provider's API
     * ({@value #PROVIDER_CALLS}), tagged with the provider, the operation (method and path
     * template, e.g. {@code GET /ordermanagement/v1/orders/{id}}) and the status class
     * ({@code 2xx}, {@code 4xx}, {@code 5xx}, ..., or {@code none} when no answer came).
     */
    public ProviderApiListener apiListener() {
        return this::record;
    }

    void record(JournalEntry entry) {
        String outcome = entry.outcome().name().toLowerCase(Locale.ROOT);
        Counter.builder(CALLBACKS).description("Callbacks answered, by provider, kind and outcome")
                .tag("provider", entry.provider()).tag("kind", entry.kind()).tag("outcome", outcome)
                .register(registry).increment();
        Timer.builder(CALLBACK_LATENCY).description("Time from a callback's arrival to its answer")
                .tag("provider", entry.provider()).tag("kind", entry.kind()).tag("outcome", outcome)
                .register(registry).record(entry.latency());
    }

    void record(String type, String result, long nanos) {
        Timer.builder(ACTION_RUNS).description("Delayed action runs, by type and result")
                .tag("type", type).tag("result", result)
                .register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void record(ProviderApiCall call) {
        Timer.builder(PROVIDER_CALLS).description("Calls to payment providers' APIs, by provider, operation and status")
                .tag("provider", call.provider()).tag("operation", call.operation())
                .tag("status", statusClass(call.status()))
                .register(registry).record(call.duration());
    }

    static String statusClass(int status) {
        return status < 100 || status > 599 ? "none" : status / 100 + "xx";
    }

    private void gauge(String name, String description, HealthSnapshot health, ToIntFunction<SchedulerHealth> part) {
        Gauge.builder(name, health, snapshot -> part.applyAsInt(snapshot.get()))
                .description(description).strongReference(true).register(registry);
    }

    /** The scheduler's health, read again only when the last reading is old enough. */
    private static final class HealthSnapshot {
        private final DelayedActionScheduler scheduler;
        private final long maxAgeNanos;
        private SchedulerHealth last;
        private long readAt;

        HealthSnapshot(DelayedActionScheduler scheduler, long maxAgeNanos) {
            this.scheduler = scheduler;
            this.maxAgeNanos = maxAgeNanos;
        }

        synchronized SchedulerHealth get() {
            long now = System.nanoTime();
            if (last == null || now - readAt >= maxAgeNanos) {
                last = scheduler.health();
                readAt = now;
            }
            return last;
        }
    }
}
