package org.callbackkit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What benchmark 1's callbacks cost inside the router, without HTTP: a Klarna push, a confirmed
 * Blockonomics payment, an Ecster and an Avarda notification, each one new, dispatched through {@link BenchShop}'s router (journal,
 * scheduler, idempotency store and payment ledger in memory, a fresh shop per iteration so that
 * what earlier iterations kept does not pile up). The {@code *RequestOnly} rows build the same
 * request and stop: subtract them to get the router's share. One thread, so this is CPU per
 * callback, to set beside benchmark 1's CPU per request (two cores / bare requests per second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    private InMemoryDelayedActionScheduler scheduler;
    private BenchShop shop;

    /** A fresh shop per iteration. */
    @Setup(Level.Iteration)
    public void openShop() {
        scheduler = InMemoryDelayedActionScheduler.builder().threads(0).build();
        shop = new BenchShop(new InMemoryCallbackJournal(), scheduler, new InMemoryStateStore());
    }

    /** Closes the iteration's shop. */
    @TearDown(Level.Iteration)
    public void closeShop() {
        shop.close();
        scheduler.close();
    }

    /** A new Klarna push, built and dispatched: journaled, deduplicated, its re-read scheduled. */
    @Benchmark
    public CallbackResponse klarnaPush() {
        return accepted(shop.router().dispatch(shop.klarnaPushRequest()));
    }

    /** The Klarna push built only: the floor for the row above. */
    @Benchmark
    public CallbackRequest klarnaPushRequestOnly() {
        return shop.klarnaPushRequest();
    }

    /** A new confirmed payment, built and dispatched: authenticated, parsed, counted, journaled. */
    @Benchmark
    public CallbackResponse blockonomicsPayment() {
        return accepted(shop.router().dispatch(shop.blockonomicsPaymentRequest()));
    }

    /** The payment built only: the floor for the row above. */
    @Benchmark
    public CallbackRequest blockonomicsPaymentRequestOnly() {
        return shop.blockonomicsPaymentRequest();
    }

    /** A new Ecster notification, built and dispatched: authenticated, journaled, its order read scheduled. */
    @Benchmark
    public CallbackResponse ecsterNotification() {
        return accepted(shop.router().dispatch(shop.ecsterNotificationRequest()));
    }

    /** The Ecster notification built only: the floor for the row above. */
    @Benchmark
    public CallbackRequest ecsterNotificationRequestOnly() {
        return shop.ecsterNotificationRequest();
    }

    /** A new Avarda notification, built and dispatched: authenticated, journaled, its purchase read scheduled. */
    @Benchmark
    public CallbackResponse avardaNotification() {
        return accepted(shop.router().dispatch(shop.avardaNotificationRequest()));
    }

    /** The Avarda notification built only: the floor for the row above. */
    @Benchmark
    public CallbackRequest avardaNotificationRequestOnly() {
        return shop.avardaNotificationRequest();
    }

    private static CallbackResponse accepted(CallbackResponse response) {
        if (response.status() != 200) {
            throw new IllegalStateException("benchmark callback answered " + response.status());
        }
        return response;
    }
}
