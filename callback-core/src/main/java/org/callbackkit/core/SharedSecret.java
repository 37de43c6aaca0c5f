package org.callbackkit.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret the provider sends with each callback (a header value, a query parameter), checked in
 * constant time: both sides are hashed with SHA-256 and the digests compared with
 * {@link MessageDigest#isEqual}, so the time taken depends on neither the secret's length nor how
 * much of it a guess got right. Only the digest is kept; {@link #toString()} shows nothing of it.
 */
public final class SharedSecret {

    private final byte[] digest;
    /** Never used itself, only cloned: {@code MessageDigest.getInstance} costs a provider look-up on every callback. */
    private final MessageDigest sha256 = newSha256();

    private SharedSecret(byte[] digest) {
        this.digest = digest;
    }

    /**
     * The secret to check callbacks against.
     *
     * @throws IllegalArgumentException if the value is null or blank
     */
    public static SharedSecret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a shared secret must not be blank");
        }
        return new SharedSecret(sha256(value));
    }

    /** Whether {@code given} is the secret; false for null. */
    public boolean matches(String given) {
        return given != null && MessageDigest.isEqual(digest, sha256Cloned(given));
    }

    @Override
    public String toString() {
        return "SharedSecret[masked]";
    }

    private byte[] sha256Cloned(String value) {
        try {
            return ((MessageDigest) sha256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) { // a provider whose digest is not cloneable
            return sha256(value);
        }
    }

    private static byte[] sha256(String value) {
        return newSha256().digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
