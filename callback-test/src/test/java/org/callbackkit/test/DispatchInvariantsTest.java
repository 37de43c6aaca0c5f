package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHandler;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The fuzz tests' oracle catches each broken promise, and lets a kept one pass. */
class DispatchInvariantsTest {

    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final AtomicInteger listenerCalls = new AtomicInteger();

    private static CallbackRouter router(InMemoryCallbackJournal journal, CallbackHandler handler) {
        return CallbackRouter.builder().journal(journal)
                .endpoint(CallbackEndpoint.builder("demo", "paid").path("/demo/paid").methods("POST").handler(handler)
                        .build())
                .build();
    }

    private DispatchInvariants invariants(CallbackHandler handler) {
        return DispatchInvariants.builder(router(journal, handler), journal)
                .untouchedWhenRejected("listener calls", listenerCalls::get)
                .untouchedWhenRejected("pending actions", scheduler::pending)
                .masked("X-Shop-Pin")
                .build();
    }

    private static CallbackRequest post() {
        return CallbackRequests.post("/demo/paid").build();
    }

    @Test
    void keptPromisesPass() {
        DispatchInvariants invariants = invariants(request -> {
            listenerCalls.incrementAndGet();
            return CallbackResponse.ok();
        });

        assertThat(invariants.dispatch(post()).status()).isEqualTo(200);
        assertThat(invariants.dispatch(CallbackRequests.get("/demo/paid").build()).status()).isEqualTo(405);
        assertThat(invariants.dispatch(CallbackRequests.post("/nowhere").build()).status()).isEqualTo(404);
    }

    @Test
    void aHandlerThatThrowsIsAServerError() {
        DispatchInvariants invariants = invariants(request -> {
            throw new IllegalStateException("parser bug");
        });

        assertThatThrownBy(() -> invariants.dispatch(post())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("server error").hasMessageContaining("handler threw java.lang.IllegalStateException");
    }

    @Test
    void aRejectionNeedsAShortJsonErrorBody() {
        assertThatThrownBy(() -> invariants(request -> CallbackResponse.of(400, CallbackHeaders.empty(), "no".getBytes(StandardCharsets.UTF_8)))
                .dispatch(post())).isInstanceOf(AssertionError.class).hasMessageContaining("not application/json");
        assertThatThrownBy(() -> invariants(request -> CallbackResponse.json(400, "{\"message\":\"bad\"}"))
                .dispatch(post())).isInstanceOf(AssertionError.class).hasMessageContaining("no \"error\" text");
        assertThatThrownBy(() -> invariants(request -> CallbackResponse.badRequest("x".repeat(300)))
                .dispatch(post())).isInstanceOf(AssertionError.class).hasMessageContaining("error body of");
    }

    @Test
    void aRejectionTouchesNothing() {
        assertThatThrownBy(() -> invariants(request -> {
            listenerCalls.incrementAndGet();
            throw new InvalidCallbackException("bad amount");
        }).dispatch(post())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("listener calls changed although the request was rejected");

        assertThatThrownBy(() -> invariants(request -> {
            scheduler.schedule(new DelayedAction("demo.paid", "42", "{}", clock.instant().plus(Duration.ofMinutes(2))));
            return CallbackResponse.notFound("no such order");
        }).dispatch(post())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("pending actions changed although the request was rejected");
    }

    @Test
    void aRejectionJournaledAsAcceptedIsCaughtUnlessTheHostChoseIt() {
        CallbackHandler hostAnswer = request -> {
            listenerCalls.incrementAndGet();
            return CallbackResponse.json(400, "{\"error_type\":\"address_error\"}").withOutcome(CallbackOutcome.ACCEPTED);
        };
        assertThatThrownBy(() -> invariants(hostAnswer).dispatch(post())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a rejection journaled as ACCEPTED");

        DispatchInvariants hostMayReject = DispatchInvariants.builder(router(journal, hostAnswer), journal)
                .hostRejected(() -> true).build();
        assertThat(hostMayReject.dispatch(post()).status()).isEqualTo(400);
    }

    @Test
    void theSecretHeaderMustBeMasked() {
        DispatchInvariants invariants = invariants(request -> CallbackResponse.ok());

        assertThatThrownBy(() -> invariants.dispatch(CallbackRequests.post("/demo/paid").header("x-shop-pin", "1234")
                .build())).isInstanceOf(AssertionError.class).hasMessageContaining("holds X-Shop-Pin in clear");
    }

    @Test
    void exactlyOneJournalEntryPerDispatch() {
        DispatchInvariants invariants = invariants(request -> {
            JournalEntry extra = new JournalEntry("extra", clock.instant(), "demo", "paid", CallbackOutcome.ACCEPTED, 200,
                    Duration.ZERO, "", "POST", "/demo/paid", Map.of(), Map.of(), 0, "");
            journal.record(extra);
            return CallbackResponse.ok();
        });

        assertThatThrownBy(() -> invariants.dispatch(post())).isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 journal entries");
    }

    @Test
    void countsEntriesBeyondTheJournalsCapacity() {
        InMemoryCallbackJournal small = new InMemoryCallbackJournal(1);
        DispatchInvariants invariants = DispatchInvariants.builder(router(small, request -> CallbackResponse.ok()), small)
                .build();

        invariants.dispatch(post());
        assertThat(invariants.dispatch(post()).status()).isEqualTo(200);
    }

    @Test
    void refusesAJournalTheRouterDoesNotRecordInto() {
        CallbackRouter elsewhere = router(new InMemoryCallbackJournal(), request -> CallbackResponse.ok());

        assertThatThrownBy(() -> DispatchInvariants.builder(elsewhere, journal))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWatchedSchedulerReportsAHandlerThatThrew() throws Exception {
        WatchedScheduler watched = new WatchedScheduler(scheduler);
        watched.register("demo.done", context -> ActionResult.done());
        watched.register("demo.broken", context -> {
            throw new IllegalStateException("stored payload unreadable");
        });
        watched.schedule(new DelayedAction("demo.done", "1", "{}", clock.instant()));
        scheduler.runDue();
        watched.assertNoHandlerThrew();

        watched.schedule(new DelayedAction("demo.broken", "2", "{}", clock.instant()));
        scheduler.runDue();
        assertThatThrownBy(watched::assertNoHandlerThrew).isInstanceOf(AssertionError.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }
}
