package org.callbackkit.core.reconcile;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.callbackkit.core.OrderActivityRecorder;
import org.callbackkit.core.ProviderApiListener;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;

/**
 * What every provider module's builder takes alike: the provider's environment and credentials,
 * how its API is reached (or an API to call instead, such as a fake), the host shop, where the
 * endpoint is mounted, and what its {@link Reconciler} runs on. A provider's builder extends it and
 * adds what is its own (a shared header, an amount tolerance). Each value is checked as it is set ({@link IllegalArgumentException}); the rules
 * between values at {@code build()} ({@link IllegalStateException}). Not thread-safe.
 *
 * @param <B> the provider's builder, returned by every setter
 * @param <A> the provider's API client interface
 * @param <E> the provider's environments (test or live)
 * @param <C> the provider's API credentials
 * @param <S> the host shop's interface for this provider
 */
public abstract class ProviderModuleBuilder<B extends ProviderModuleBuilder<B, A, E, C, S>, A, E, C, S> {

    private final String provider;
    private final String kind;
    private String path;
    private E environment;
    private C credentials;
    private S shop;
    private URI apiBaseUri;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private boolean httpSettingsGiven;
    private A api;
    private ProviderApiListener apiListener;
    private OrderActivityRecorder journal;
    private DelayedActionScheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private StateStore stateStore = new InMemoryStateStore();
    private Duration processingDelay;

    /**
     * @param provider the provider's name, e.g. {@code ecster}
     * @param kind the kind of its main callback, to check a path against
     * @param defaultPath where the endpoint is mounted below the servlet unless told otherwise; null
     *     when the provider derives it at {@code build()}
     * @param defaultProcessingDelay how long after a callback its order is read unless told otherwise
     */
    protected ProviderModuleBuilder(String provider, String kind, String defaultPath, Duration defaultProcessingDelay) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = defaultPath;
        this.processingDelay = Objects.requireNonNull(defaultProcessingDelay, "defaultProcessingDelay");
    }

    /** The provider's test or live environment; required with credentials, so test credentials never meet live orders by default. */
    public B environment(E environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
        return self();
    }

    /** The provider's API credentials; required unless {@link #api} is given. */
    public B credentials(C credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        return httpSettingGiven();
    }

    /** The host shop: finds its orders and is told what became of them. Required. */
    public B shop(S shop) {
        this.shop = Objects.requireNonNull(shop, "shop");
        return self();
    }

    /**
     * Where the provider's endpoints are mounted, below the servlet's mount point.
     *
     * @throws IllegalArgumentException if not a valid endpoint path (starting with {@code /})
     */
    public B path(String path) {
        CallbackEndpoint.builder(provider, kind).path(path); // validates
        this.path = path;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Another API base than the environment's: a proxy, or a loopback fake in tests. Plain http
     * only on loopback, since credentials travel with every call.
     *
     * @throws IllegalArgumentException unless an absolute https URI, or http on 127.0.0.1, localhost or [::1]
     */
    public B apiBaseUri(URI apiBaseUri) {
        this.apiBaseUri = ProviderHttp.requireApiBase(apiBaseUri);
        return httpSettingGiven();
    }

    /**
     * How long to wait for a connection to the provider's API; default 5 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = ProviderHttp.requirePositive(timeout, "connectTimeout");
        return httpSettingGiven();
    }

    /**
     * How long to wait for each whole answer from the provider's API, body included; default 10 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public B readTimeout(Duration timeout) {
        this.readTimeout = ProviderHttp.requirePositive(timeout, "readTimeout");
        return httpSettingGiven();
    }

    /**
     * Told of every call the module makes to the provider's API, e.g. {@code CallbackMetrics}'
     * from {@code callback-micrometer}; default none. Unlike the HTTP settings it may stand with
     * {@link #api}: a given API makes no HTTP calls of ours, so nothing is told then.
     */
    public B apiListener(ProviderApiListener listener) {
        this.apiListener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * The callback journal (a {@code CallbackJournal} is one), where the module records, under each
     * order, its calls to the provider's API and the runs of its delayed actions, for the journal
     * page's order view; default none. Give it the journal the router records in. A given
     * {@link #api} makes no HTTP calls of ours, so then only the runs are recorded.
     */
    public B journal(OrderActivityRecorder journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
        return self();
    }

    /** The API to call instead of one built from the HTTP settings, e.g. an in-process fake. */
    public B api(A api) {
        this.api = Objects.requireNonNull(api, "api");
        return self();
    }

    /** Runs the delayed actions; the module registers its action types on it. Required. */
    public B scheduler(DelayedActionScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /** The clock of delays and of the provider's tokens; default system UTC. It should be the scheduler's. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Holds each order's state, and its key while it is decided; default in memory (one JVM, lost on
     * restart). Shops with several nodes, or that restart, pass the durable store they share
     * ({@code JdbcCallbackStore.stateStore()}): "once per order" then holds on every node.
     */
    public B stateStore(StateStore store) {
        this.stateStore = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * How long after a callback its order is read; zero reads at once.
     *
     * @throws IllegalArgumentException if negative
     */
    public B processingDelay(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("processing delay must not be negative: " + delay);
        }
        this.processingDelay = delay;
        return self();
    }

    /** For a provider's own HTTP settings (a region, say): they conflict with {@link #api}. */
    protected final B httpSettingGiven() {
        httpSettingsGiven = true;
        return self();
    }

    /** The clock. */
    protected final Clock clock() {
        return clock;
    }

    /** The environment, or null when none was given. */
    protected final E environment() {
        return environment;
    }

    /** The credentials, or null when none were given. */
    protected final C credentials() {
        return credentials;
    }

    /** The path set, or the default; null when neither. */
    protected final String path() {
        return path;
    }

    /**
     * The shop.
     *
     * @throws IllegalStateException when none was given
     */
    protected final S shop() {
        if (shop == null) {
            throw new IllegalStateException("shop is required");
        }
        return shop;
    }

    /**
     * The API given, or an HTTP client built from the settings.
     *
     * @param environmentBase the chosen environment's API base, or null when none is known
     * @param noBase the message when neither an environment's base nor a base URI is known, e.g.
     *     {@code environment is required: LABS or LIVE}
     * @param client makes the provider's client on the shared HTTP side
     * @throws IllegalStateException with an API and HTTP settings it would ignore; without an API and
     *     without credentials; or with credentials but neither an environment nor a base URI
     */
    protected final A api(URI environmentBase, String noBase, Function<ProviderHttp, A> client) {
        if (api != null) {
            if (httpSettingsGiven) {
                throw new IllegalStateException(
                        "an API was given, so environment, credentials, base URI and timeouts would be ignored");
            }
            return api;
        }
        if (credentials == null) {
            throw new IllegalStateException("credentials are required unless an API is given");
        }
        if (environmentBase == null && apiBaseUri == null) {
            throw new IllegalStateException(noBase);
        }
        return client.apply(new ProviderHttp(provider, apiBaseUri != null ? apiBaseUri : environmentBase, connectTimeout,
                readTimeout, apiListener, journal, clock));
    }

    /**
     * The engine of {@code flow} on the scheduler, store, clock and processing delay set here.
     *
     * @throws IllegalStateException without a scheduler, or when it already has the flow's action type
     */
    protected final <O, H, T> Reconciler<O, H, T> reconciler(OrderFlow<O, H, T> flow, RetrySchedule retries) {
        if (scheduler == null) {
            throw new IllegalStateException("a scheduler is required");
        }
        Reconciler.Builder<O, H, T> engine = Reconciler.builder(flow).scheduler(scheduler).stateStore(stateStore)
                .clock(clock).processingDelay(processingDelay).retries(retries);
        if (journal != null) {
            engine.journal(journal);
        }
        return engine.build();
    }
}
