package org.callbackkit.doctor;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.callbackkit.core.diagnose.Diagnosis;

/**
 * One line of the doctor's report.
 *
 * @param area {@code url}, {@code dns}, {@code tls}, {@code probe}, {@code log} or {@code burst}
 * @param name what was checked, e.g. {@code klarna/push} or {@code https}
 * @param status how it came out
 * @param message what was found, in plain words
 * @param diagnosis the classifier's diagnosis of a failed exchange, if there was one
 * @param httpStatus the HTTP status of the exchange the check made, if it made one and got an answer
 */
public record Check(String area, String name, Status status, String message, Optional<Diagnosis> diagnosis,
        OptionalInt httpStatus) {

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
        Objects.requireNonNull(httpStatus, "httpStatus");
    }

    /**
     * A check without an HTTP exchange of its own.
     *
     * @throws NullPointerException if a component is null
     */
    public Check(String area, String name, Status status, String message, Optional<Diagnosis> diagnosis) {
        this(area, name, status, message, diagnosis, OptionalInt.empty());
    }

    static Check of(String area, String name, Status status, String message) {
        return new Check(area, name, status, message, Optional.empty());
    }
}
