package org.callbackkit.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks the values of query parameters and headers whose names look secret. A name is secret when
 * it contains one of the common fragments (secret, token, auth, password, passwd, key, signature,
 * cookie, session, credential) or equals, ignoring case, one of the endpoint's extra names.
 */
final class Redactor {

    static final String MASK = "***";

    private static final List<String> SECRET_FRAGMENTS = List.of(
            "secret", "token", "auth", "password", "passwd", "key", "signature", "cookie", "session", "credential");

    private Redactor() {
    }

    static boolean isSecret(String name, Set<String> extraNames) {
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

    static Map<String, List<String>> redact(Map<String, List<String>> values, Set<String> extraNames) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((name, list) -> out.put(name,
                isSecret(name, extraNames) ? list.stream().map(v -> MASK).toList() : list));
        return out;
    }
}
