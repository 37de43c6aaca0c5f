package org.callbackkit.blockonomics;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes callback secrets for the URL registered with Blockonomics. */
public final class BlockonomicsSecrets {

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
}
