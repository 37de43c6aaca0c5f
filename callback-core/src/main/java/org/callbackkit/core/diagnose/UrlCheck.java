package org.callbackkit.core.diagnose;

import java.util.Objects;

/**
 * The outcome of one URL rule of {@link CallbackUrls#check()}.
 *
 * @param status pass, warning or failure
 * @param rule the rule's stable id, e.g. {@code url.https}
 * @param subject what was checked, e.g. the URL or a callback path
 * @param message in plain words, what was found and, unless it passed, what to do
 */
public record UrlCheck(Status status, String rule, String subject, String message) {

    /** How a rule came out. */
    public enum Status {
        /** The rule holds. */
        PASS,
        /** Works, but is a known trap (a GET callback behind a page cache, a bare IP, http where https would do). */
        WARN,
        /** Callbacks will fail, or the provider refuses the URL. */
        FAIL
    }

    /** @throws NullPointerException if a component is null */
    public UrlCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }
}
