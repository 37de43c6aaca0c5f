package org.callbackkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OrderActivityTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void anErrorIsCutToItsLimitAndKeepsNoControlCharacters() {
        OrderActivity run = OrderActivity.actionRun("t", "k", T0, 1, OrderActivity.ActionRunResult.FAILED,
                "line one\nline two\u0007" + "x".repeat(1000), Duration.ZERO, T0.plusSeconds(60));

        assertThat(run.error()).hasSize(OrderActivity.MAX_ERROR_CHARS).startsWith("line one line two x").endsWith("x\u2026");
    }

    @Test
    void aRunBelongsToTheOrderItsKeyNamesBeforeTheFirstSlash() {
        assertThat(OrderActivity.orderReferenceOf("4711/event-2/x")).isEqualTo("4711");
        assertThat(OrderActivity.orderReferenceOf("4711")).isEqualTo("4711");
        assertThat(OrderActivity.actionRun("t", "4711/e", T0, 1, OrderActivity.ActionRunResult.DONE, null, Duration.ZERO,
                null).orderReference()).isEqualTo("4711");
    }

    @Test
    void aCallsStatusIsItsResultAndZeroWithoutAnAnswer() {
        assertThat(OrderActivity.apiCall("o", T0, "acme", "GET /o/{id}", 404, null, Duration.ZERO).status()).isEqualTo(404);
        OrderActivity failed = OrderActivity.apiCall("o", T0, "acme", "GET /o/{id}", 0, "timed out", Duration.ZERO);
        assertThat(failed.status()).isZero();
        assertThat(failed.result()).isEqualTo("failed");
        assertThat(OrderActivity.actionRun("t", "k", T0, 1, OrderActivity.ActionRunResult.DONE, "", Duration.ZERO, null)
                .status()).isZero();
    }

    @Test
    void aDurationOnAClockSetBackCountsAsZero() {
        assertThat(OrderActivity.apiCall("o", T0, "acme", "GET /o/{id}", 200, null, Duration.ofMillis(-3)).duration())
                .isZero();
        assertThat(OrderActivity.actionRun("t", "k", T0, 1, OrderActivity.ActionRunResult.DONE, "", Duration.ofMillis(-3),
                null).duration()).isZero();
    }

    @Test
    void refusesBlankOrNegativeFields() {
        assertThatThrownBy(() -> OrderActivity.apiCall(" ", T0, "acme", "GET /", 200, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OrderActivity("o", T0, OrderActivity.Kind.API_CALL, "acme", "GET /", 0, "200", "",
                Duration.ofMillis(-1), java.util.Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderActivity.actionRun("t", "k", null, 1, OrderActivity.ActionRunResult.DONE, "",
                Duration.ZERO, null)).isInstanceOf(NullPointerException.class);
    }
}
