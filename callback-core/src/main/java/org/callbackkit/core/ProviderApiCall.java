package org.callbackkit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One call a provider module made to its provider's API, as {@link ProviderApiListener} is told it.
 *
 * <p>Every field is bounded, so that a metrics backend can use each as a tag: no order id,
 * transaction id or concrete path appears in any of them.
 *
 * @param provider the provider's name, e.g. {@code klarna}
 * @param operation the HTTP method and the path template below the API base, the order's id
 *     replaced by {@code {id}}: {@code GET /ordermanagement/v1/orders/{id}}
 * @param status the HTTP status of the answer, or 0 when none came (a timeout, a refused
 *     connection, an interrupt)
 * @param duration from sending until the whole answer arrived, or until the call failed
 */
public record ProviderApiCall(String provider, String operation, int status, Duration duration) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if the status is negative or the duration negative
     */
    public ProviderApiCall {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(duration, "duration");
        if (status < 0) {
            throw new IllegalArgumentException("status must not be negative: " + status);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
    }

    /** Whether an answer came at all ({@link #status()} is not 0). */
    public boolean answered() {
        return status != 0;
    }
}
