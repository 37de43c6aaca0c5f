package org.callbackkit.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The first classifier: status code classes and transport failures, no fingerprints yet. */
final class StatusClassClassifier implements StatusClassifier {

    private final Map<String, RetrySchedule> schedules = new HashMap<>();

    StatusClassClassifier(List<CallbackEndpoint> endpoints) {
        endpoints.forEach(e -> schedules.put(e.provider() + "/" + e.kind(), e.retrySchedule()));
    }

    @Override
    public Diagnosis classify(DeliveryAttempt attempt) {
        Verdict verdict;
        String summary;
        List<String> steps;
        if (attempt.failure().isPresent()) {
            TransportFailure failure = attempt.failure().get();
            switch (failure) {
                case TIMEOUT -> {
                    verdict = Verdict.TIMEOUT;
                    summary = "The shop did not answer in time.";
                    steps = List.of("Answer callbacks at once and do the work later; check the server's load and any firewall that holds connections.");
                }
                case TLS_HANDSHAKE, CERTIFICATE -> {
                    verdict = Verdict.TLS_FAILURE;
                    summary = "The TLS connection to the shop failed.";
                    steps = List.of("Check the certificate: valid, not expired, issued for this host name, served with its intermediate certificates.");
                }
                default -> {
                    verdict = Verdict.UNREACHABLE;
                    summary = "The provider could not connect to the shop.";
                    steps = List.of("Check that the callback URL uses the shop's public host name, that it resolves, and that the server accepts connections from the internet.");
                }
            }
        } else {
            int status = attempt.status().getAsInt();
            if (status >= 200 && status < 300) {
                verdict = Verdict.DELIVERED;
                summary = "The shop answered " + status + ".";
                steps = List.of();
            } else if (status >= 300 && status < 400) {
                verdict = Verdict.REDIRECTED;
                summary = "The shop redirected the callback (" + status + "); providers do not follow redirects.";
                steps = List.of("Register the final URL (https, no language prefix, exact trailing slash) with the provider.");
            } else if (status == 404) {
                verdict = Verdict.NOT_FOUND;
                summary = "The callback path does not exist on the shop (404).";
                steps = List.of("Check that the callback endpoints are mounted at the path registered with the provider.");
            } else if (status >= 400 && status < 500) {
                verdict = Verdict.REJECTED;
                summary = "The shop, or something in front of it, refused the callback (" + status + ").";
                steps = List.of("Look up the request in the shop's callback journal; if it is not there, a firewall or security plugin blocked it: whitelist the callback path.");
            } else {
                verdict = Verdict.SERVER_ERROR;
                summary = "The shop failed while handling the callback (" + status + ").";
                steps = List.of("Look for the error in the shop's logs at the time of the attempt.");
            }
        }
        boolean retryableAnswer = verdict != Verdict.DELIVERED && verdict != Verdict.SUSPECT_SUCCESS;
        RetrySchedule schedule = schedules.getOrDefault(attempt.provider() + "/" + attempt.kind(), RetrySchedule.none());
        boolean willRetry = retryableAnswer && attempt.attemptNumber() < schedule.maxAttempts();
        Optional<Instant> until = willRetry ? Optional.of(schedule.givesUpAt(attempt.firstAttemptAt())) : Optional.empty();
        return new Diagnosis(verdict, Optional.empty(), willRetry, until, summary, steps);
    }
}
