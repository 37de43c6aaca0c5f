package org.callbackkit.core.diagnose;

import java.util.List;
import org.callbackkit.core.intake.CallbackEndpoint;

/**
 * Reads a delivery attempt (status code, reason phrase, headers, body start, or transport
 * failure) the way an expert would, and says what it means and what to do. Implementations are
 * thread-safe.
 *
 * <pre>{@code
 * StatusClassifier classifier = StatusClassifier.expert(router.endpoints());
 * Diagnosis diagnosis = classifier.classify(DeliveryAttempt.builder("klarna", "push")
 *         .attemptedAt(seenInKlarnasLog).status(403).headers(headers).bodyStart(page).build());
 * // BLOCKED_BY_FIREWALL, ModSecurity, "Klarna retries this callback until 2026-11-23 14:00 UTC ..."
 * }</pre>
 */
@FunctionalInterface
public interface StatusClassifier {

    /** Diagnoses one attempt; never throws for any attempt content. */
    Diagnosis classify(DeliveryAttempt attempt);

    /**
     * The expert classifier: the {@link Fingerprints#standard() standard fingerprints}, then the
     * status class fallbacks; {@code endpoints} tell how each provider retries each kind.
     */
    static StatusClassifier expert(List<CallbackEndpoint> endpoints) {
        return expert(endpoints, Fingerprints.standard());
    }

    /**
     * An expert classifier with these rules, tried in order, then the
     * {@link Fingerprints#statusClassFallbacks() status class fallbacks}. To recognise another
     * WAF, put its rule before the standard ones.
     */
    static StatusClassifier expert(List<CallbackEndpoint> endpoints, List<FingerprintRule> rules) {
        return new ExpertClassifier(List.copyOf(endpoints), List.copyOf(rules));
    }

    /**
     * A classifier that reads the status code class and transport failure only (the
     * {@link Fingerprints#statusClassFallbacks() fallbacks}), and knows from {@code endpoints} how
     * each provider retries each kind.
     */
    static StatusClassifier byStatusClass(List<CallbackEndpoint> endpoints) {
        return expert(endpoints, List.of());
    }
}
