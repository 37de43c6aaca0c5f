package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHandler;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit itself: an endpoint that parses with {@link CallbackJson} and schedules its work passes
 * every case; one that takes whatever arrives fails exactly the cases it lets through.
 */
class HostileInputContractTest {

    /** Room for the 5,000-deep nesting and the 1,000-digit number, not for the 100,000-character string. */
    private static final int LIMIT = 16 * 1024;

    @Test
    void aStrictEndpointPassesEveryCase() {
        Events tests = run(StrictEndpoint.class);

        assertThat(tests.failed().count()).as(failures(tests)).isZero();
        assertThat(tests.succeeded().count()).isEqualTo(HostileRequests.against(sample(), LIMIT).size() + 1);
    }

    @Test
    void anEndpointThatTakesAnythingFailsTheCasesItLetsThrough() {
        Events tests = run(LenientEndpoint.class);

        assertThat(tests.failed().stream().map(HostileInputContractTest::name)).contains(
                "truncated JSON", "malformed JSON", "JSON nested 5,000 levels deep", "a duplicate key",
                "invalid UTF-8 (a lead byte without its continuation)", "a number of 1,000 digits")
                .doesNotContain("a wrong method (PUT)", "a body declared one byte over the limit, not sent",
                        "a language prefix (/en) inserted", "a wrong content type");
    }

    private static Events run(Class<?> contract) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute().testEvents();
    }

    private static String name(Event event) {
        return event.getTestDescriptor().getDisplayName();
    }

    private static String failures(Events tests) {
        return tests.failed().stream().map(e -> name(e) + ": " + e.getPayload().map(Object::toString).orElse(""))
                .toList().toString();
    }

    static CallbackRequest sample() {
        return CallbackRequests.postJson("/shop/paid/1001", "{\"orderId\":\"1001\",\"status\":\"PAID\"}").build();
    }

    /** An endpoint mounted like a provider's: POST JSON, limits from the router, work scheduled. */
    abstract static class Endpoint extends HostileInputContract {

        abstract CallbackHandler handler(ManualDelayedActionScheduler scheduler, AtomicLong calls);

        @Override
        protected HostileInputTarget createTarget() {
            MutableClock clock = MutableClock.atFixedStart();
            ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
            AtomicLong calls = new AtomicLong();
            CallbackRouter router = CallbackRouter.builder().journal(new InMemoryCallbackJournal()).clock(clock)
                    .maxBodyBytes(LIMIT)
                    .endpoint(CallbackEndpoint.builder("shop", "paid").path("/shop/paid/{orderId}").methods("POST")
                            .contentTypes("application/json").handler(handler(scheduler, calls)).build())
                    .build();
            return HostileInputTarget.builder(router).sample("paid", sample()).listenerCalls(calls::get)
                    .scheduler(scheduler).build();
        }
    }

    static class StrictEndpoint extends Endpoint {
        @Override
        CallbackHandler handler(ManualDelayedActionScheduler scheduler, AtomicLong calls) {
            return request -> {
                String orderId = CallbackJson.readObject(request).path("orderId").asText();
                scheduler.schedule(new DelayedAction("shop.paid", orderId, "{}", request.receivedAt()));
                return CallbackResponse.ok();
            };
        }
    }

    static class LenientEndpoint extends Endpoint {
        @Override
        CallbackHandler handler(ManualDelayedActionScheduler scheduler, AtomicLong calls) {
            return request -> {
                calls.incrementAndGet(); // hands whatever arrived to the host
                return CallbackResponse.ok();
            };
        }
    }
}
