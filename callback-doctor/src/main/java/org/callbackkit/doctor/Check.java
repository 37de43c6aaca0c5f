package org.callbackkit.doctor;

import java.util.Objects;
import java.util.Optional;
import org.callbackkit.core.diagnose.Diagnosis;

/**
 * One line of the doctor's report.
 *
 * @param area {@code url}, {@code dns}, {@code tls}, {@code probe} or {@code burst}
 * @param name what was checked, e.g. {@code klarna/push} or {@code https}
 * @param status how it came out
 * @param message what was found, in plain words
 * @param diagnosis the classifier's diagnosis of a failed exchange, if there was one
 */
public record Check(String area, String name, Status status, String message, Optional<Diagnosis> diagnosis) {

    /** How a check came out; only {@link #FAIL} makes the report fail. */
    public enum Status {
        /** As it should be. */
        PASS,
        /** Works, but a known trap, or allowed only for local testing. */
        WARN,
        /** Callbacks will fail here. */
        FAIL,
        /** Not run, because an earlier check failed. */
        SKIP
    }

    /** @throws NullPointerException if a component is null */
    public Check {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(diagnosis, "diagnosis");
    }

    static Check of(String area, String name, Status status, String message) {
        return new Check(area, name, status, message, Optional.empty());
    }
}
