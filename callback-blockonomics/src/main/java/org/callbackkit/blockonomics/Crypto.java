package org.callbackkit.blockonomics;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;

/** The currencies Blockonomics reports, with the exact base unit of each amount. */
public enum Crypto {
    /** Bitcoin; amounts in satoshi (10^-8 BTC). */
    BTC(8),
    /** Bitcoin Cash; amounts in satoshi (10^-8 BCH). */
    BCH(8),
    /** Tether USD; amounts in 10^-6 USDT. */
    USDT(6);

    private final int decimals;

    Crypto(int decimals) {
        this.decimals = decimals;
    }

    /** How many decimal places one base unit is: 8 for BTC and BCH, 6 for USDT. */
    public int decimals() {
        return decimals;
    }

    /** {@code baseUnits} in whole coins, exactly: {@code BTC.toCoins(150_000_000)} is 1.50000000. */
    public BigDecimal toCoins(long baseUnits) {
        return BigDecimal.valueOf(baseUnits, decimals);
    }

    /**
     * {@code toCoins(baseUnits).toPlainString()} ("0.00150000" for 150,000 satoshi) without a
     * {@code BigDecimal}: every payment event's description has two.
     */
    String format(long baseUnits) {
        long unit = 1;
        for (int i = 0; i < decimals; i++) {
            unit *= 10;
        }
        String fraction = Long.toString(Math.abs(baseUnits % unit));
        StringBuilder coins = new StringBuilder(24);
        if (baseUnits < 0) {
            coins.append('-');
        }
        coins.append(Math.abs(baseUnits / unit)).append('.');
        coins.append("0".repeat(decimals - fraction.length())).append(fraction);
        return coins.toString();
    }

    /** The currency named by a callback's {@code crypto} parameter, ignoring case. */
    public static Optional<Crypto> parse(String name) {
        for (Crypto crypto : values()) {
            if (crypto.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(crypto);
            }
        }
        return Optional.empty();
    }
}
