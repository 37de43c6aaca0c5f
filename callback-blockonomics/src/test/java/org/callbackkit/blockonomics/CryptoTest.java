package org.callbackkit.blockonomics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Amounts in coins, as the payment events describe them. */
class CryptoTest {

    @Test
    void formatIsThePlainStringOfTheExactAmount() {
        assertThat(Crypto.BTC.format(150_000)).isEqualTo("0.00150000");
        assertThat(Crypto.USDT.format(2_500_000)).isEqualTo("2.500000");
        SplittableRandom random = new SplittableRandom(7);
        LongStream edges = LongStream.of(0, 1, -1, 9, 10, 99_999_999, 100_000_000, 100_000_001, -100_000_001,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1);
        LongStream.concat(edges, random.longs(2_000)).forEach(amount -> {
            for (Crypto crypto : Crypto.values()) {
                assertThat(crypto.format(amount)).as("%s %d", crypto, amount)
                        .isEqualTo(crypto.toCoins(amount).toPlainString());
            }
        });
    }
}
