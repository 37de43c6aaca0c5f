package org.callbackkit.core.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackResponse;
import org.junit.jupiter.api.Test;

/** How the classifier evaluates its rules, and what it says about retries; the corpus covers the rules themselves. */
class StatusClassifierTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final List<CallbackEndpoint> ENDPOINTS = List.of(
            CallbackEndpoint.builder("blockonomics", "payment").path("/blockonomics/payment").methods("GET")
                    .retrySchedule(RetrySchedule.exponential(Duration.ofSeconds(4), 2, Duration.ofHours(1), 8))
                    .handler(r -> CallbackResponse.ok()).build(),
            CallbackEndpoint.builder("klarna", "validation").path("/klarna/validation/{orderId}").methods("POST")
                    .handler(r -> CallbackResponse.ok()).build());

    private final StatusClassifier byClass = StatusClassifier.byStatusClass(ENDPOINTS);
    private final StatusClassifier expert = StatusClassifier.expert(ENDPOINTS);

    private DeliveryAttempt.Builder attempt() {
        return DeliveryAttempt.builder("blockonomics", "payment").attemptedAt(T0);
    }

    @Test
    void byStatusClassReadsStatusClassesAndFailuresOnly() {
        assertThat(byClass.classify(attempt().status(200).build()).verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(byClass.classify(attempt().status(301).build()).verdict()).isEqualTo(Verdict.REDIRECTED);
        assertThat(byClass.classify(attempt().status(404).build()).verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(byClass.classify(attempt().status(403).bodyStart("<html>Mod_Security</html>").build()).verdict())
                .isEqualTo(Verdict.REJECTED);
        assertThat(byClass.classify(attempt().status(502).build()).verdict()).isEqualTo(Verdict.SERVER_ERROR);
        assertThat(byClass.classify(attempt().failure(TransportFailure.CERTIFICATE, "PKIX path").build()).verdict())
                .isEqualTo(Verdict.TLS_FAILURE);
        assertThat(byClass.classify(attempt().failure(TransportFailure.TIMEOUT, "").build()).verdict())
                .isEqualTo(Verdict.TIMEOUT);
        assertThat(byClass.classify(attempt().failure(TransportFailure.DNS, "").build()).verdict())
                .isEqualTo(Verdict.UNREACHABLE);
    }

    @Test
    void saysWhetherAndUntilWhenTheProviderRetries() {
        Diagnosis first = expert.classify(attempt().status(503).build());
        assertThat(first.providerWillRetry()).isTrue();
        assertThat(first.retriesUntil()).contains(T0.plusSeconds(4 + 8 + 16 + 32 + 64 + 128 + 256));
        assertThat(first.nextSteps()).last().asString()
                .isEqualTo("Blockonomics retries this callback until 2026-11-21 12:08 UTC (8 attempts, exponential "
                        + "from 4s (x2.0, at most 1h)); once this is fixed, a retry gets through on its own.");

        Diagnosis last = expert.classify(attempt().status(503).attemptNumber(8).firstAttemptAt(T0.minusSeconds(60)).build());
        assertThat(last.providerWillRetry()).isFalse();
        assertThat(last.retriesUntil()).isEmpty();
        assertThat(last.nextSteps()).last().asString().startsWith("That was Blockonomics's last attempt");

        Diagnosis never = expert.classify(DeliveryAttempt.builder("klarna", "validation").attemptedAt(T0).status(500).build());
        assertThat(never.providerWillRetry()).isFalse();
        assertThat(never.nextSteps()).last().asString().startsWith("Klarna does not retry validation callbacks");

        Diagnosis delivered = expert.classify(attempt().status(200).build());
        assertThat(delivered.providerWillRetry()).isFalse();
        assertThat(delivered.nextSteps()).isEmpty();

        Diagnosis unknownProvider = expert.classify(DeliveryAttempt.builder("x", "y").attemptedAt(T0).status(500).build());
        assertThat(unknownProvider.providerWillRetry()).isFalse();
    }

    @Test
    void aBlockPageServedWithA200IsABlockAndTheProviderWillNotRetry() {
        Diagnosis diagnosis = expert.classify(attempt().status(200)
                .bodyStart("<html>Request unsuccessful. Incapsula incident ID: 123000-456</html>").build());

        assertThat(diagnosis.verdict()).isEqualTo(Verdict.BLOCKED_BY_FIREWALL);
        assertThat(diagnosis.firewall()).contains("Imperva");
        assertThat(diagnosis.summary()).startsWith("Served with a 200, which is not proof: Imperva");
        assertThat(diagnosis.providerWillRetry()).isFalse();
        assertThat(diagnosis.nextSteps()).anySatisfy(step -> assertThat(step).contains("incident 123000-456"))
                .last().asString().contains("took the 200 as success");
    }

    @Test
    void aCdnTheAnswerOnlyPassedThroughIsNotBlamedButItsRayIdIsKept() {
        Diagnosis diagnosis = expert.classify(attempt().status(502).headers(CallbackHeaders.of("CF-RAY", "0123456789abcdef-ARN"))
                .build());

        assertThat(diagnosis.verdict()).isEqualTo(Verdict.SERVER_ERROR);
        assertThat(diagnosis.firewall()).as("a firewall is named only from blocking evidence").isEmpty();
        assertThat(diagnosis.cause()).isEqualTo("upstream.bad-gateway");
        assertThat(diagnosis.evidence()).containsEntry("rayId", "0123456789abcdef");
    }

    @Test
    void adviceNamesTheEndpointsPathPatternBelowItsMountPoint() {
        Diagnosis diagnosis = expert.classify(DeliveryAttempt.builder("klarna", "validation").attemptedAt(T0)
                .url(URI.create("https://shop.example/shop/callbacks/klarna/validation/4f1c?x=1")).status(403)
                .bodyStart("<html><title>403 Forbidden</title></html>").build());

        assertThat(diagnosis.cause()).isEqualTo("html.blocked");
        assertThat(diagnosis.nextSteps()).anySatisfy(step -> assertThat(step)
                .contains("Allow /shop/callbacks/klarna/validation/* through them"));
    }

    @Test
    void aNewWafIsOneMoreRule() {
        List<FingerprintRule> rules = new ArrayList<>();
        rules.add(FingerprintRule.builder("acme.block").firewall("Acme Shield").verdict(Verdict.BLOCKED_BY_FIREWALL)
                .whenStatus(403).whenHeader("X-Acme-Shield", "blocked")
                .extract("ticket", FingerprintRule.BODY, "ticket ([0-9]+)")
                .summary("Acme Shield blocked {provider}'s callback.")
                .step("Quote ticket {ticket} to Acme support.")
                .step("Show this only when the answer names a {colour}.")
                .step("Allow {path|the callback paths} in Acme Shield.")
                .build());
        rules.addAll(Fingerprints.standard());
        StatusClassifier classifier = StatusClassifier.expert(ENDPOINTS, rules);

        Diagnosis diagnosis = classifier.classify(attempt().status(403)
                .headers(CallbackHeaders.of("X-Acme-Shield", "Blocked")).bodyStart("blocked, ticket 4711").build());

        assertThat(diagnosis.verdict()).isEqualTo(Verdict.BLOCKED_BY_FIREWALL);
        assertThat(diagnosis.firewall()).contains("Acme Shield");
        assertThat(diagnosis.cause()).isEqualTo("acme.block");
        assertThat(diagnosis.summary()).isEqualTo("Acme Shield blocked Blockonomics's callback.");
        assertThat(diagnosis.nextSteps()).startsWith("Quote ticket 4711 to Acme support.",
                "Allow the callback paths in Acme Shield.");
        assertThat(diagnosis.evidence()).containsExactly(java.util.Map.entry("ticket", "4711"));
    }

    @Test
    void ruleBuilderValidatesAtOnceAndAtBuild() {
        assertThatThrownBy(() -> FingerprintRule.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FingerprintRule.builder("r").whenBody("(")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FingerprintRule.builder("r").whenStatus(700)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FingerprintRule.builder("r").extract("x", "body", "no group"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FingerprintRule.builder("r").verdict(Verdict.REJECTED).summary("s").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no condition");
        assertThatThrownBy(() -> FingerprintRule.builder("r").whenStatus(403).verdict(Verdict.REJECTED).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("summary");
        assertThatThrownBy(() -> FingerprintRule.builder("r").whenStatus(403).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("verdict or a firewall");
    }

    @Test
    void everyStandardRuleHasAUniqueId() {
        List<String> ids = new ArrayList<>();
        Fingerprints.standard().forEach(rule -> ids.add(rule.id()));
        Fingerprints.statusClassFallbacks().forEach(rule -> ids.add(rule.id()));
        assertThat(ids).doesNotHaveDuplicates();
    }
}
