package org.callbackkit.core.testing;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.callbackkit.core.testing.FaultPlan.Fault;

/**
 * The base of a provider module's fake API: a {@link FakeProviderServer} behind the provider's own
 * script. The subclass describes in its constructor, through {@link #answers()}, the routes it
 * answers, its credentials check and its error bodies, and adds its own scripting methods
 * ({@code putOrder}, {@code failNext}) and its provider's API interface for in-process use; this
 * class gives every fake the same {@link #serve()}, {@link #faults(FaultPlan, Random)},
 * {@link #faultsInjected()} and {@link #close()}.
 *
 * <pre>{@code
 * public final class FakeAcmeApi extends FakeProviderApi<FakeAcmeApi> implements AcmeApi {
 *     public FakeAcmeApi() {
 *         super("fake Acme API");
 *         answers().route("GET /orders/{id}", request -> order(request.pathVariable("id")));
 *     }
 *     public FakeAcmeApi failNext(int status) {
 *         server().enqueue("GET /orders/{id}", FakeResponse.json(status, "{}"));
 *         return this;
 *     }
 *     // ...
 * }
 * }</pre>
 *
 * <p>The server is built from {@link #answers()} when it is first used, so {@link #answers()} may
 * be called only in the subclass's constructor. Thread-safe once constructed.
 *
 * @param <S> the subclass, which {@link #faults(FaultPlan, Random)} returns for chaining
 */
public abstract class FakeProviderApi<S extends FakeProviderApi<S>> implements AutoCloseable {

    private final Object serverLock = new Object();
    private final FakeProviderServer.Builder answers;
    private FakeProviderServer server;

    /** A fake called {@code name}, such as {@code "fake Ecster API"}, in thread names and error messages. */
    protected FakeProviderApi(String name) {
        this.answers = FakeProviderServer.builder(Objects.requireNonNull(name, "name"));
    }

    /**
     * What the fake answers: its routes, credentials check and error bodies.
     *
     * @throws IllegalStateException once the server was built, after the constructor
     */
    protected final FakeProviderServer.Builder answers() {
        synchronized (serverLock) {
            if (server != null) {
                throw new IllegalStateException("the fake already answers; describe it in its constructor");
            }
            return answers;
        }
    }

    /** The server that answers for the fake, to script it and to make in-process calls. */
    protected final FakeProviderServer server() {
        synchronized (serverLock) {
            if (server == null) {
                server = answers.build();
            }
            return server;
        }
    }

    /**
     * Starts answering HTTP on 127.0.0.1 on a free port; idempotent.
     *
     * @return the base URI to give the module's HTTP client, such as {@code http://127.0.0.1:49152/}
     * @throws IllegalStateException if the server cannot start, or the fake was closed
     */
    public final URI serve() {
        return server().start();
    }

    /**
     * From now on calls fail at random as {@code plan} says, drawn from {@code random}: give it a
     * seed and print the seed, so that a failing test can be replayed (the same calls in the same
     * order fail the same way). Calls with a scripted answer are not drawn for; each fault is
     * recorded as a call like any other. A server error is answered with the provider's error
     * body before the call takes effect; a stall or a disconnect comes after it took effect, as a
     * lost answer does. Over HTTP, a stall lasts until the client's read timeout (give the client
     * a short one in tests) and a disconnect closes the connection without an answer; in process,
     * both fail at once as the client would. {@link FaultPlan#NONE} stops the faults. See
     * {@link FakeProviderServer#faults(FaultPlan, Random)}.
     */
    public final S faults(FaultPlan plan, Random random) {
        server().faults(plan, random);
        return self();
    }

    /** How many faults of each kind {@link #faults(FaultPlan, Random)} injected so far; kinds never drawn are absent. */
    public final Map<Fault, Integer> faultsInjected() {
        return server().faultsInjected();
    }

    /** Stops the HTTP server, if started, and drops the answers still stalled. In-process calls still work. */
    @Override
    public final void close() {
        server().close();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }
}
