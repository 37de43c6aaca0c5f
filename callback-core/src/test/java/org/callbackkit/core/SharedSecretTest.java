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
    void neverShowsTheSecretAndRefusesABlankOne() {
        assertThat(SharedSecret.of(VALUE).toString()).doesNotContain(VALUE).contains("masked");
        assertThatThrownBy(() -> SharedSecret.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedSecret.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
