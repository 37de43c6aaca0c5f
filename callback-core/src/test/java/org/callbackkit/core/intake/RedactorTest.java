package org.callbackkit.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(Set.of("X-Shop-Pin"));

    @Test
    void masksSecretLikeAndExtraNamesWhateverTheirCase() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("Authorization", List.of("Basic abc"));
        values.put("x-shop-pin", List.of("1234", "5678"));
        values.put("addr", List.of("bc1q"));

        assertThat(redactor.redact(values)).containsExactly(
                Map.entry("Authorization", List.of(Redactor.MASK)),
                Map.entry("x-shop-pin", List.of(Redactor.MASK, Redactor.MASK)),
                Map.entry("addr", List.of("bc1q")));
        assertThat(values.get("Authorization")).containsExactly("Basic abc"); // the input is left alone
    }

    @Test
    void aMapWithoutSecretsIsReturnedAsItIs() {
        Map<String, List<String>> values = Map.of("status", List.of("2"), "addr", List.of("bc1q"));

        assertThat(redactor.redact(values)).isSameAs(values);
    }

    @Test
    void verdictsStayRightOnceTheMemoryIsFull() {
        for (int i = 0; i < Redactor.MAX_REMEMBERED + 10; i++) {
            assertThat(redactor.isSecret("X-Made-Up-" + i)).isFalse();
        }

        // Names first met after the memory filled up are judged afresh each time.
        assertThat(redactor.isSecret("X-Api-Token")).isTrue();
        assertThat(redactor.isSecret("X-Api-Token")).isTrue();
        assertThat(redactor.isSecret("X-SHOP-PIN")).isTrue();
        assertThat(redactor.isSecret("X-Plain")).isFalse();
    }
}
