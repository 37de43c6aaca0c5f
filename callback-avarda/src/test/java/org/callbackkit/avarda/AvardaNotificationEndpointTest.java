package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the completed-notification endpoint answers and journals, through the real router. */
class AvardaNotificationEndpointTest {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";
    private static final String AUTHORIZATION = "Basic c2hvcDpsb25nLXJhbmRvbS1zZWNyZXQtYWdyZWVkLXdpdGgtYXZhcmRh";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    private final FakeAvardaApi avarda = new FakeAvardaApi();
    private final TestShop shop = new TestShop().add(PURCHASE, "1001", "123.45");
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    private final AvardaCallbackRequests requests = new AvardaCallbackRequests().authorization(AUTHORIZATION);
    private final CallbackRouter router = CallbackRouter.builder().journal(journal).clock(clock).maxBodyBytes(4096)
            .endpoints(AvardaCallbacks.builder().api(avarda).shop(shop).scheduler(scheduler).clock(clock)
                    .authorization(AUTHORIZATION).build().endpoints())
            .build();

    private JournalEntry lastEntry() {
        return journal.find(JournalQuery.builder().limit(1).build()).get(0);
    }

    private void assertNothingHappened() {
        assertThat(scheduler.pending()).isEmpty();
        scheduler.tick(Duration.ofHours(1));
        assertThat(shop.changes).isEmpty();
        assertThat(avarda.calls()).isEmpty();
    }

    @Test
    void aNotificationWithTheAgreedAuthorizationIsScheduled() {
        assertThat(router.dispatch(requests.completed(PURCHASE)).status()).isEqualTo(200);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.ACCEPTED);
        assertThat(lastEntry().headers().get("Authorization")).containsExactly("***");
        assertThat(scheduler.pending()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "nonsense", "[]", "{}", "{\"purchaseId\":null}", "{\"purchaseId\":42}", "{\"purchaseId\":\"\"}",
        "{\"purchaseId\":\"../payments\"}", "{\"purchaseId\":{\"id\":\"x\"}}",
        "{\"purchaseId\":\"489ea341e23941089e6d0378c708512a\",\"purchaseId\":\"other\"}",
        "{\"purchaseId\":\"489ea341e23941089e6d0378c708512a\"} []", "{\"purchaseId\":"})
    void aBodyThatIsNotANotificationIs400WithAShortReasonAndTouchesNothing(String body) {
        CallbackResponse response = router.dispatch(requests.withBody(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyAsString()).startsWith("{\"error\":\"").hasSizeLessThan(80);
        assertThat(lastEntry().outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
        assertNothingHappened();
    }

    @Test
    void theMissingIdIsNamedInTheReason() {
        assertThat(router.dispatch(requests.withBody("{}")).bodyAsString())
                .isEqualTo("{\"error\":\"purchaseId is missing\"}");
    }

    @Test
    void anOversizedBodyOrWrongMethodIsRefusedByTheRouterAndAFormBodyByTheStrictParser() {
        CallbackRequest notification = requests.completed(PURCHASE);

        CallbackResponse tooLarge = router.dispatch(requests.withBody("{\"purchaseId\":\"" + "a".repeat(5000) + "\"}"));
        CallbackResponse get = router.dispatch(notification.toBuilder().method("GET").body(new byte[0]).build());
        CallbackResponse form = router.dispatch(notification.toBuilder()
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(("purchaseId=" + PURCHASE).getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(get.status()).isEqualTo(405);
        assertThat(form.status()).as("any media type is taken, the body must still be the JSON").isEqualTo(400);
        assertThat(journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_INPUT).build())).hasSize(3);
        assertNothingHappened();
    }

    @Test
    void theNotificationIsTakenWithAnyOrNoMediaTypeSinceAvardaDocumentsNone() {
        CallbackRequest notification = requests.completed(PURCHASE);

        assertThat(router.dispatch(notification.toBuilder().header("Content-Type", "text/plain").build()).status())
                .isEqualTo(200);
        CallbackRequest bare = CallbackRequest.builder().method("POST").path(AvardaCallbacks.DEFAULT_PATH)
                .header("Authorization", AUTHORIZATION).receivedAt(notification.receivedAt())
                .body(("{\"purchaseId\":\"" + PURCHASE + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        assertThat(router.dispatch(bare).status()).isEqualTo(200);
    }

    @Test
    void aMissingAuthorizationIs401AndAWrongOneIs403WhateverItsLength() {
        CallbackResponse missing = router.dispatch(new AvardaCallbackRequests().completed(PURCHASE));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.bodyAsString()).isEqualTo("{\"error\":\"missing Authorization header\"}");

        List<String> wrong = List.of("", "Basic", AUTHORIZATION.substring(0, AUTHORIZATION.length() - 1),
                AUTHORIZATION + "=", AUTHORIZATION.toLowerCase(Locale.ROOT), "Bearer " + "z".repeat(8000));
        for (String value : wrong) {
            CallbackResponse response = router.dispatch(new AvardaCallbackRequests().authorization(value).completed(PURCHASE));
            assertThat(response.status()).as("%d characters", value.length()).isEqualTo(403);
            assertThat(response.bodyAsString()).isEqualTo("{\"error\":\"wrong Authorization header\"}");
        }

        List<JournalEntry> rejected = journal.find(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_AUTH).limit(50).build());
        assertThat(rejected).hasSize(wrong.size() + 1)
                .as("found by its purchase").allSatisfy(entry -> assertThat(entry.orderReferences()).containsExactly(PURCHASE));
        assertThat(rejected.toString()).doesNotContain("c2hvcDpsb25n");
        assertNothingHappened();
    }

}
