package org.callbackkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusClassClassifierTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private final StatusClassifier classifier = StatusClassifier.byStatusClass(List.of(
            CallbackEndpoint.builder("blockonomics", "payment").path("/b").methods("GET")
                    .retrySchedule(RetrySchedule.exponential(Duration.ofSeconds(4), 2, Duration.ofHours(1), 8))
                    .handler(r -> CallbackResponse.ok()).build()));

    private DeliveryAttempt.Builder attempt() {
        return DeliveryAttempt.builder("blockonomics", "payment").attemptedAt(T0);
    }

    @Test
    void readsStatusClasses() {
        assertThat(classifier.classify(attempt().status(200).build()).verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(classifier.classify(attempt().status(301).build()).verdict()).isEqualTo(Verdict.REDIRECTED);
        assertThat(classifier.classify(attempt().status(404).build()).verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(classifier.classify(attempt().status(403).build()).verdict()).isEqualTo(Verdict.REJECTED);
        assertThat(classifier.classify(attempt().status(502).build()).verdict()).isEqualTo(Verdict.SERVER_ERROR);
    }

    @Test
    void readsTransportFailures() {
        assertThat(classifier.classify(attempt().failure(TransportFailure.CERTIFICATE, "PKIX path").build()).verdict())
                .isEqualTo(Verdict.TLS_FAILURE);
        assertThat(classifier.classify(attempt().failure(TransportFailure.TIMEOUT, "").build()).verdict())
                .isEqualTo(Verdict.TIMEOUT);
        assertThat(classifier.classify(attempt().failure(TransportFailure.DNS, "").build()).verdict())
                .isEqualTo(Verdict.UNREACHABLE);
    }

    @Test
    void saysWhetherAndUntilWhenTheProviderRetries() {
        Diagnosis first = classifier.classify(attempt().status(503).build());
        assertThat(first.providerWillRetry()).isTrue();
        assertThat(first.retriesUntil()).contains(T0.plusSeconds(4 + 8 + 16 + 32 + 64 + 128 + 256));
        assertThat(first.nextSteps()).isNotEmpty();

        Diagnosis last = classifier.classify(attempt().status(503).attemptNumber(8).firstAttemptAt(T0.minusSeconds(60)).build());
        assertThat(last.providerWillRetry()).isFalse();
        assertThat(last.retriesUntil()).isEmpty();

        assertThat(classifier.classify(attempt().status(200).build()).providerWillRetry()).isFalse();
        Diagnosis unknownProvider = classifier.classify(DeliveryAttempt.builder("x", "y").attemptedAt(T0).status(500).build());
        assertThat(unknownProvider.providerWillRetry()).isFalse();
    }
}
