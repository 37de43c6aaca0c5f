package org.callbackkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SharedSecretTest {

    private static final String VALUE = "s3cr3t-header-value-agreed-with-the-provider";

    @Test
    void matchesOnlyTheExactValue() {
        SharedSecret secret = SharedSecret.of(VALUE);

        assertThat(secret.matches(VALUE)).isTrue();
        assertThat(secret.matches(VALUE + " ")).isFalse();
        assertThat(secret.matches(VALUE.substring(1))).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches("y".repeat(10_000))).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }

    @Test
    void matchesFromManyThreadsAtOnce() throws Exception {
        SharedSecret secret = SharedSecret.of(VALUE);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 2_000; i++) {
                String given = i % 2 == 0 ? VALUE : VALUE + i;
                answers.add(pool.submit(() -> secret.matches(given) == given.equals(VALUE)));
            }
            for (var answer : answers) {
                assertThat(answer.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void neverShowsTheSecretAndRefusesABlankOne() {
        assertThat(SharedSecret.of(VALUE).toString()).doesNotContain(VALUE).contains("masked");
        assertThatThrownBy(() -> SharedSecret.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedSecret.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
