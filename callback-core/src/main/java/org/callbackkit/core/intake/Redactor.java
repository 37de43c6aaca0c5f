package org.callbackkit.core.intake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Masks the values of query parameters and headers whose names look secret. A name is secret when
 * it contains one of the common fragments (secret, token, auth, password, passwd, key, signature,
 * cookie, session, credential) or equals, ignoring case, one of the extra names given.
 *
 * <p>The verdict on each name is remembered, as the names of callbacks repeat (a router sees the
 * same dozen headers again and again); at most {@value #MAX_REMEMBERED} names, so that a flood of
 * made-up names cannot grow it. Thread-safe.
 */
final class Redactor {

    static final String MASK = "***";
    static final int MAX_REMEMBERED = 4096;
    /** A JSON field with a string value: its name (group 1) and its quoted value (group 2). */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "\"([^\"\\\\]{1,100})\"\\s*:\\s*(\"(?:[^\"\\\\]++|\\\\.)*+\")"); // possessive: no backtracking, no deep recursion

    private static final List<String> SECRET_FRAGMENTS = List.of(
            "secret", "token", "auth", "password", "passwd", "key", "signature", "cookie", "session", "credential");

    private final Set<String> extraNames;
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();
    private final SecretKeySpec fingerprintKey;
    /**
     * Initialised with the fingerprint key once, and the key's inner block hashed into it already
     * (an empty update), never used otherwise: each hash clones it, as looking the algorithm up,
     * initialising it with the key and hashing that block again cost more than hashing a value.
     */
    private final Mac fingerprintMac;
    private final String keyId;

    /** A redactor that also masks the names in {@code extraNames}, ignoring case; its fingerprint key is random. */
    Redactor(Set<String> extraNames) {
        this(extraNames, null);
    }

    /**
     * A redactor that also masks the names in {@code extraNames}, ignoring case, and hashes masked
     * values under {@code fingerprintKey} (at least 32 bytes), or under a random key when null.
     */
    Redactor(Set<String> extraNames, byte[] fingerprintKey) {
        this.extraNames = Set.copyOf(extraNames);
        byte[] key = fingerprintKey == null ? new byte[32] : fingerprintKey.clone();
        if (fingerprintKey == null) {
            new SecureRandom().nextBytes(key);
        }
        this.fingerprintKey = new SecretKeySpec(key, "HmacSHA256");
        this.fingerprintMac = newMac(this.fingerprintKey);
        this.keyId = HexFormat.of().formatHex(hmac(new byte[] {0}), 0, 2); // tells one key from another, not the key
    }

    /**
     * For each secret name in {@code values}, {@code prefix + name} (as given) mapped to a short
     * keyed hash of its values: {@code <key id>.<8 hex>}. The key is the router's, random per
     * process unless the host shares one between its nodes: equal values give equal hashes only
     * under the same key, and without the key the hash says nothing of a value, even a short one.
     */
    Map<String, String> fingerprints(String prefix, Map<String, List<String>> values) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        values.forEach((name, list) -> {
            if (isSecret(name)) {
                fingerprints.put(prefix + name, keyId + "." + HexFormat.of().formatHex(
                        hmac(String.join("\0", list).getBytes(StandardCharsets.UTF_8)), 0, 4));
            }
        });
        return fingerprints;
    }

    /**
     * {@code json} with the string values of secret-like fields masked ({@code "token":"***"});
     * text that is not JSON passes unchanged but for such fields all the same.
     */
    String redactJson(String json) {
        Matcher field = JSON_FIELD.matcher(json);
        StringBuilder out = new StringBuilder(json.length());
        while (field.find()) {
            field.appendReplacement(out, Matcher.quoteReplacement(isSecret(field.group(1))
                    ? field.group().substring(0, field.start(2) - field.start()) + "\"" + MASK + "\"" : field.group()));
        }
        field.appendTail(out);
        return out.toString();
    }

    private byte[] hmac(byte[] data) {
        Mac mac;
        try {
            mac = (Mac) fingerprintMac.clone(); // reads the prototype only: safe from any thread
        } catch (CloneNotSupportedException e) {
            mac = newMac(fingerprintKey); // a provider whose HMAC cannot be cloned: the slow way
        }
        return mac.doFinal(data);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(new byte[0]); // hashes the inner key block now, once, rather than in every clone
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    boolean isSecret(String name) {
        Boolean known = verdicts.get(name);
        if (known != null) {
            return known;
        }
        boolean secret = judge(name);
        if (verdicts.size() < MAX_REMEMBERED) {
            verdicts.put(name, secret);
        }
        return secret;
    }

    private boolean judge(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String fragment : SECRET_FRAGMENTS) {
            if (lower.contains(fragment)) {
                return true;
            }
        }
        for (String extra : extraNames) {
            if (extra.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code values} with the values of secret names masked; {@code values} itself when no name is secret. */
    Map<String, List<String>> redact(Map<String, List<String>> values) {
        boolean anySecret = false;
        for (String name : values.keySet()) {
            anySecret |= isSecret(name);
        }
        if (!anySecret) {
            return values;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((name, list) -> out.put(name, isSecret(name) ? List.copyOf(Collections.nCopies(list.size(), MASK)) : list));
        return out;
    }
}
