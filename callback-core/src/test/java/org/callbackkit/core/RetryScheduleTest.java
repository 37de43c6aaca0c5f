package org.callbackkit.core;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void noneNeverRetries() {
        RetrySchedule none = RetrySchedule.none();
        assertThat(none.nextAttemptAfter(1)).isEmpty();
        assertThat(none.givesUpAt(T0)).isEqualTo(T0);
        assertThat(none.retries()).isFalse();
    }

    @Test
    void fixedIsEcstersTwoHoursTwentyFourTimes() {
        RetrySchedule ecster = RetrySchedule.fixed(ofHours(2), 24);
        assertThat(ecster.nextAttemptAfter(1)).contains(ofHours(2));
        assertThat(ecster.nextAttemptAfter(23)).contains(ofHours(2));
        assertThat(ecster.nextAttemptAfter(24)).isEmpty();
        assertThat(ecster.givesUpAt(T0)).isEqualTo(T0.plus(ofHours(46)));
        assertThat(ecster.description()).isEqualTo("24 attempts, 2h apart");
    }

    @Test
    void exponentialDoublesUpToItsCap() {
        RetrySchedule schedule = RetrySchedule.exponential(ofSeconds(4), 2.0, ofSeconds(60), 8);
        assertThat(schedule.maxAttempts()).isEqualTo(8);
        assertThat(schedule.nextAttemptAfter(1)).contains(ofSeconds(4));
        assertThat(schedule.nextAttemptAfter(2)).contains(ofSeconds(8));
        assertThat(schedule.nextAttemptAfter(4)).contains(ofSeconds(32));
        assertThat(schedule.nextAttemptAfter(5)).contains(ofSeconds(60));
        assertThat(schedule.nextAttemptAfter(7)).contains(ofSeconds(60));
        assertThat(schedule.nextAttemptAfter(8)).isEmpty();
        assertThat(schedule.givesUpAt(T0)).isEqualTo(T0.plusSeconds(4 + 8 + 16 + 32 + 60 + 60 + 60));
    }

    @Test
    void klarnaPushStepsThenEveryFourHoursWithinFortyEightHours() {
        RetrySchedule push = RetrySchedule.ofDelays(ofMinutes(5), ofMinutes(15), ofMinutes(30), ofMinutes(60))
                .thenEvery(ofHours(4), ofHours(48));
        // 1h50m of steps, then 4h intervals while the total stays within 48h: 11 more
        assertThat(push.maxAttempts()).isEqualTo(5 + 11);
        assertThat(push.nextAttemptAfter(4)).contains(ofMinutes(60));
        assertThat(push.nextAttemptAfter(5)).contains(ofHours(4));
        assertThat(push.nextAttemptAfter(16)).isEmpty();
        assertThat(push.givesUpAt(T0)).isEqualTo(T0.plus(ofMinutes(110)).plus(ofHours(44)));
        assertThat(push.attemptAt(T0, 2)).contains(T0.plus(ofMinutes(5)));
        assertThat(push.attemptAt(T0, 17)).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> RetrySchedule.fixed(Duration.ZERO, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.fixed(ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.exponential(ofSeconds(1), 0.5, ofSeconds(2), 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.none().nextAttemptAfter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.fixed(ofSeconds(1), 2).thenEvery(ofSeconds(1), ofSeconds(5))
                .thenEvery(ofSeconds(1), ofSeconds(9))).isInstanceOf(IllegalStateException.class);
    }
}
