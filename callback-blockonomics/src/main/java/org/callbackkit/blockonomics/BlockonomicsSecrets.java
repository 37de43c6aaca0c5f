package org.callbackkit.blockonomics;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes callback secrets for the URL registered with Blockonomics, and judges existing ones. */
public final class BlockonomicsSecrets {

    /** Below this many bits a secret is accepted with a warning: 128 is what a guess must beat. */
    public static final int RECOMMENDED_BITS = 128;

    private BlockonomicsSecrets() {
    }

    /** A new secret of 256 random bits from {@code random}, as 64 hex characters. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A new secret of 256 random bits from a new {@link SecureRandom}, as 64 hex characters. */
    public static String generate() {
        return generate(new SecureRandom());
    }

    /**
     * How many bits a secret of this shape can hold at most: its length times the bits per character
     * of the smallest alphabet its characters fit (hex 4, digits 3.3, lower case and digits 5.2,
     * letters and digits 6.0, printable ASCII 6.6, anything else 8). A secret somebody typed holds
     * less; this is an upper bound, used to warn, never to refuse.
     *
     * @throws NullPointerException if {@code secret} is null
     */
    public static int estimatedBits(String secret) {
        double perCharacter;
        if (secret.chars().allMatch(c -> c >= '0' && c <= '9')) {
            perCharacter = log2(10);
        } else if (secret.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                || secret.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
            perCharacter = 4;
        } else if (secret.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
                || secret.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
            perCharacter = log2(36);
        } else if (secret.chars().allMatch(Character::isLetterOrDigit) && secret.chars().allMatch(c -> c < 128)) {
            perCharacter = log2(62);
        } else if (secret.chars().allMatch(c -> c > 32 && c < 127)) {
            perCharacter = log2(94);
        } else {
            perCharacter = 8;
        }
        return (int) Math.floor(secret.length() * perCharacter);
    }

    private static double log2(int symbols) {
        return Math.log(symbols) / Math.log(2);
    }
}
