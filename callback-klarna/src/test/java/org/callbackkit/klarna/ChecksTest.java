package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The order id check, against the pattern it replaced (a regex ran on every callback). */
class ChecksTest {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    @ParameterizedTest
    @ValueSource(strings = {"1cb4ff3c-6c3f-4a7f-bb2b-2d6e0d9d1a4e", "a", "Z9", "0_-", "abc_DEF-123",
        "", "-abc", "_abc", "abc def", "abc/def", "abc%2F", "åäö", "abc\n", "ａbc", "abc.def", "abc\u0000"})
    void takesWhatTheShapeTakes(String candidate) {
        assertThat(Checks.isOrderId(candidate)).isEqualTo(SHAPE.matcher(candidate).matches());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 1000})
    void takesUpTo64Characters(int length) {
        String candidate = "a".repeat(length);
        assertThat(Checks.isOrderId(candidate)).isEqualTo(length <= 64);
        assertThat(Checks.isOrderId(null)).isFalse();
    }
}
