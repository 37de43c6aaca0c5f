package org.callbackkit.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link StatusClassifier} concluded about one delivery attempt, in plain words.
 *
 * @param verdict what the attempt amounts to
 * @param firewall the firewall or WAF recognised in the answer, if any
 * @param providerWillRetry whether the provider will deliver again on its own
 * @param retriesUntil when the provider's last attempt will be made, if it retries
 * @param summary one sentence for the operator
 * @param nextSteps what to do, in order
 */
public record Diagnosis(Verdict verdict, Optional<String> firewall, boolean providerWillRetry,
        Optional<Instant> retriesUntil, String summary, List<String> nextSteps) {

    /** @throws NullPointerException if a component is null */
    public Diagnosis {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(retriesUntil, "retriesUntil");
        Objects.requireNonNull(summary, "summary");
        nextSteps = List.copyOf(nextSteps);
    }
}
