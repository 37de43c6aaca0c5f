package org.callbackkit.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link ListenerMissingException} into Boot's "APPLICATION FAILED TO START" report: what is
 * missing and what to write, without the stack trace.
 */
final class ListenerMissingFailureAnalyzer extends AbstractFailureAnalyzer<ListenerMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ListenerMissingException cause) {
        String description = cause.getMessage();
        description = description.substring(0, description.length() - cause.action().length()).trim();
        return new FailureAnalysis(description, cause.action(), cause);
    }
}
