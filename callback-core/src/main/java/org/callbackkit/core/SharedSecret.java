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

    /** Never used itself: each check clones it, cheaper than looking the algorithm up per callback. */
    private static final MessageDigest SHA256 = newSha256();

    private final byte[] digest;

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
        return given != null && MessageDigest.isEqual(digest, sha256(given));
    }

    @Override
    public String toString() {
        return "SharedSecret[masked]";
    }

    private static byte[] sha256(String value) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA256.clone(); // reads the prototype only: safe from any thread
        } catch (CloneNotSupportedException e) {
            sha256 = newSha256(); // a provider whose SHA-256 cannot be cloned: the slow way
        }
        return sha256.digest(value.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
