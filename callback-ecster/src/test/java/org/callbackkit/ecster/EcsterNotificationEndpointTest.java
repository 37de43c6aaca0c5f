package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.callbackkit.core.TemporarilyUnavailableException;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.ForwardingDelayedActionScheduler;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the notification endpoint answers and journals, through the real router. */
class EcsterNotificationEndpointTest {

    private static final String ORDER = "eYBtAD0wTZIzDWkVpGhe";
    private static final String HEADER = "X-Shop-Notification";
    private static final String VALUE = "c2VjcmV0LXNoYXJlZC13aXRoLWVjc3Rlcg";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final FakeEcsterApi ecster = new FakeEcsterApi();
    private final TestShop shop = new TestShop().link(ORDER, "1001");
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final EcsterCallbackRequests requests = new EcsterCallbackRequests().sharedHeader(HEADER, VALUE);

    private CallbackRouter router(DelayedActionScheduler actions) {
        EcsterCallbacks callbacks = EcsterCallbacks.builder().api(ecster).shop(shop).scheduler(actions)
                .clock(clock).sharedHeader(HEADER, VALUE).build();
        return CallbackRouter.builder().journal(journal).clock(clock).maxBodyBytes(4096)
                .endpoints(callbacks.endpoints()).build();
    }

    private final CallbackRouter router = router(scheduler);

    private JournalEntry lastEntry() {
        return journal.find(JournalQuery.builder().limit(1).build()).get(0);
    }

    private void assertNothingHappened() {
        assertThat(scheduler.pending()).isEmpty();
        scheduler.tick(Duration.ofHours(1));
        assertThat(shop.changes).isEmpty();
        assertThat(ecster.calls()).isEmpty();
    }

    @Test
    void aNotificationIsAnswered200OnceItsActionIsScheduled() {
        CallbackResponse response = router.dispatch(requests.notification(ORDER, "READY", "FULL_DEBIT"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(lastEntry().detail()).isEqualTo("order " + ORDER
                + " (status READY, event FULL_DEBIT): will be read from Ecster at 2026-01-01T00:02:00Z");
        assertThat(lastEntry().headers().get(HEADER)).containsExactly("***");
        assertThat(journal.find(JournalQuery.all()).toString()).doesNotContain(VALUE);
        assertThat(scheduler.pending()).singleElement()
                .satisfies(p -> assertThat(p.action().key()).isEqualTo(ORDER));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "nonsense", "[]", "\"READY\"", "{\"status\":\"READY\"}", "{\"orderId\":null}", "{\"orderId\":42}",
        "{\"orderId\":\"\"}", "{\"orderId\":\"../../admin\"}", "{\"orderId\":\"a/b\"}", "{\"orderId\":[\"x\"]}",
        "{\"orderId\":\"eYBtAD0wTZIzDWkVpGhe\",\"status\":7}", "{\"orderId\":\"eYBtAD0wTZIzDWkVpGhe\",\"event\":{}}",
        "{\"orderId\":\"eYBtAD0wTZIzDWkVpGhe\",\"orderId\":\"other\"}", "{\"orderId\":\"eYBtAD0wTZIzDWkVpGhe\"} {}",
        "{\"orderId\":\"eYBtAD0wTZIzDWkVpGhe\""})
    void aBodyThatIsNotANotificationIs400WithAShortReasonAndTouchesNothing(String body) {
        CallbackResponse response = router.dispatch(requests.withBody(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).startsWith("{\"error\":\"").hasSizeLessThan(80);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertNothingHappened();
    }

    @Test
    void theMissingIdIsNamedInTheReason() {
        assertThat(router.dispatch(requests.withBody("{\"status\":\"READY\"}")).bodyAsString())
                .isEqualTo("{\"error\":\"orderId is missing\"}");
        assertThat(router.dispatch(requests.withBody("{\"orderId\":42}")).bodyAsString())
                .isEqualTo("{\"error\":\"orderId must be an Ecster order id string\"}");
        assertThat(router.dispatch(requests.withBody("{oops")).bodyAsString())
                .isEqualTo("{\"error\":\"body is not valid JSON\"}");
    }

    @Test
    void unknownFieldsAndMissingOptionalOnesAreAccepted() {
        assertThat(router.dispatch(requests.withBody("{\"orderId\":\"" + ORDER + "\",\"newField\":1}")).status())
                .isEqualTo(200);
    }

    @Test
    void anOversizedBodyWrongMethodOrWrongContentTypeIsRefusedByTheRouterAndJournaled() {
        CallbackRequest notification = requests.notification(ORDER, "READY");
        String padded = "{\"orderId\":\"" + ORDER + "\",\"pad\":\"" + "x".repeat(5000) + "\"}";

        CallbackResponse tooLarge = router.dispatch(requests.withBody(padded));
        CallbackResponse get = router.dispatch(notification.toBuilder().method("GET").body(new byte[0]).build());
        CallbackResponse text = router.dispatch(notification.toBuilder().header("Content-Type", "text/plain").build());

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers().first("Allow")).contains("POST");
        assertThat(text.status()).isEqualTo(415);
        assertThat(List.of(tooLarge, get, text)).allSatisfy(r -> assertThat(r.bodyAsString()).startsWith("{\"error\":"));
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_INPUT).build())).hasSize(3);
        assertNothingHappened();
    }

    @Test
    void aTemporaryReferenceGivenTwiceOrMalformedIs400() {
        CallbackRequest twice = requests.notification(ORDER, "READY").toBuilder()
                .addQueryParameter(EcsterCallbacks.TEMPORARY_REFERENCE_PARAMETER, "a")
                .addQueryParameter(EcsterCallbacks.TEMPORARY_REFERENCE_PARAMETER, "b").build();
        CallbackRequest malformed = requests.notification(ORDER, "READY").toBuilder()
                .addQueryParameter(EcsterCallbacks.TEMPORARY_REFERENCE_PARAMETER, "<script>").build();

        assertThat(router.dispatch(twice).status()).isEqualTo(400);
        assertThat(router.dispatch(malformed).status()).isEqualTo(400);
        assertNothingHappened();
    }

    @Test
    void theSharedHeaderIsCheckedWhateverTheLengthOfTheValueSent() {
        List<String> wrong = List.of("", "x", VALUE.substring(0, VALUE.length() - 1), VALUE + "x",
                VALUE.substring(0, VALUE.length() - 1) + "X", VALUE.toUpperCase(java.util.Locale.ROOT),
                "y".repeat(10_000));
        for (String value : wrong) {
            CallbackRequest forged = new EcsterCallbackRequests().sharedHeader(HEADER, value).notification(ORDER, "READY");
            CallbackResponse response = router.dispatch(forged);
            assertThat(response.status()).as("%d characters", value.length()).isEqualTo(403);
            assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"wrong " + HEADER + " header\"}");
        }
        CallbackResponse missing = router.dispatch(new EcsterCallbackRequests().notification(ORDER, "READY"));
        CallbackResponse twice = router.dispatch(requests.notification(ORDER, "READY").toBuilder()
                .headers(org.callbackkit.core.intake.CallbackHeaders.of(java.util.Map.of(HEADER, List.of(VALUE, VALUE),
                        "Content-Type", List.of("application/json")))).build());

        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.bodyAsString()).isEqualTo("{\"error\":\"missing " + HEADER + " header\"}");
        assertThat(twice.status()).isEqualTo(403);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_AUTH).limit(50).build()))
                .hasSize(wrong.size() + 2)
                .allSatisfy(entry -> assertThat(entry.headers().getOrDefault(HEADER, List.of()))
                        .allSatisfy(v -> assertThat(v).isEqualTo("***")))
                .as("found by its order").allSatisfy(entry -> assertThat(entry.orderReferences()).containsExactly(ORDER));
        assertNothingHappened();

        assertThat(router.dispatch(requests.notification(ORDER, "READY")).status()).isEqualTo(200);
    }

    @Test
    void aSchedulerThatCannotStoreTheActionMakesItA503SoEcsterSendsAgain() {
        CallbackRouter failing = router(new UnavailableScheduler(new ManualDelayedActionScheduler(clock)));

        CallbackResponse response = failing.dispatch(requests.notification(ORDER, "READY"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().first("Retry-After")).contains("30");
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.FAILED);
        assertNothingHappened();
    }

    @Test
    void theNotificationsWorkOverTheEndpointPathGiven() {
        EcsterCallbacks callbacks = EcsterCallbacks.builder().api(ecster).shop(shop)
                .scheduler(new ManualDelayedActionScheduler(clock)).path("/payments/ecster").build();
        ecster.putOrder(EcsterOrderBuilder.order(ORDER).build());

        assertThat(callbacks.endpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.path()).isEqualTo("/payments/ecster");
            assertThat(endpoint.retrySchedule()).isEqualTo(EcsterCallbacks.RETRY_SCHEDULE);
            assertThat(endpoint.retrySchedule().maxAttempts()).isEqualTo(24);
        });
        assertThat(callbacks.notificationUrl("https://shop.example/callbacks", null))
                .isEqualTo("https://shop.example/callbacks/payments/ecster");
    }

    /** A durable scheduler whose database is down: schedule throws as callback-jdbc's does. */
    private static final class UnavailableScheduler extends ForwardingDelayedActionScheduler {
        UnavailableScheduler(DelayedActionScheduler delegate) {
            super(delegate);
        }

        @Override
        public boolean schedule(DelayedAction action) {
            throw new TemporarilyUnavailableException("could not store the action", Duration.ofSeconds(30), null);
        }
    }
}
