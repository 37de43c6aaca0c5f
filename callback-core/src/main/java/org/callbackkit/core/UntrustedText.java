package org.callbackkit.core;

import java.util.regex.Pattern;

/**
 * Checks on text a provider or a callback sent: ids that must stay inside one URL path segment
 * before they reach a provider's API, and text made safe to log, journal and show.
 */
public final class UntrustedText {

    /** Order and purchase ids: anything that could leave a URL path segment is refused. */
    private static final Pattern PATH_SEGMENT_ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._~-]{1,128}");

    private UntrustedText() {
    }

    /** Whether {@code value} is 1-128 of A-Z, a-z, 0-9, '.', '_', '~', '-', and not {@code .} or {@code ..}. */
    public static boolean isPathSegmentId(String value) {
        return value != null && PATH_SEGMENT_ID.matcher(value).matches();
    }

    /**
     * {@code value}, checked with {@link #isPathSegmentId}.
     *
     * @param what names the id in the message, e.g. {@code Ecster order id}
     * @throws IllegalArgumentException unless such an id
     */
    public static String requirePathSegmentId(String value, String what) {
        if (!isPathSegmentId(value)) {
            throw new IllegalArgumentException(what + " must be 1-128 of A-Z, a-z, 0-9, '.', '_', '~', '-'");
        }
        return value;
    }

    /** At most 100 characters of {@code value}, control characters replaced by {@code ?}: safe to log and journal. */
    public static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        char[] chars = null; // copied only when there is something to replace: on every callback's path
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7f) { // what \p{Cntrl} matches
                if (chars == null) {
                    chars = cut.toCharArray();
                }
                chars[i] = '?';
            }
        }
        return chars == null ? cut : new String(chars);
    }
}
