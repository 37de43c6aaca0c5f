package org.callbackkit.core;

import java.util.List;

/**
 * Reads a delivery attempt (status code, headers, body start, or transport failure) the way an
 * expert would, and says what it means and what to do. Implementations are thread-safe.
 */
@FunctionalInterface
public interface StatusClassifier {

    /** Diagnoses one attempt; never throws for any attempt content. */
    Diagnosis classify(DeliveryAttempt attempt);

    /**
     * A classifier that reads the status code class and transport failure only, and knows from
     * {@code endpoints} how each provider retries each kind.
     */
    static StatusClassifier byStatusClass(List<CallbackEndpoint> endpoints) {
        return new StatusClassClassifier(endpoints);
    }
}
