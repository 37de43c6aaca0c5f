package org.callbackkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void printableReplacesEveryAsciiControlCharacterAndNothingElse() {
        assertThat(UntrustedText.printable("order 42\r\nSet-Cookie: x\u0000\u001f\u007f")).isEqualTo("order 42??Set-Cookie: x???");
        assertThat(UntrustedText.printable("Zahlung für Bestellung ✓")).isEqualTo("Zahlung für Bestellung ✓");
        assertThat(UntrustedText.printable("")).isEmpty();
    }

    @Test
    void printableCutsAtOneHundredCharacters() {
        assertThat(UntrustedText.printable("a".repeat(100))).isEqualTo("a".repeat(100));
        assertThat(UntrustedText.printable("a".repeat(99) + "\n" + "b".repeat(50))).isEqualTo("a".repeat(99) + "?...");
    }
}
