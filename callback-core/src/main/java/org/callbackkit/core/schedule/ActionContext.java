package org.callbackkit.core.schedule;

/**
 * What an {@link ActionHandler} is given for one run.
 *
 * @param action the action, with the payload given at scheduling
 * @param attempt 1 for the first run, 2 for the first retry, and so on
 */
public record ActionContext(DelayedAction action, int attempt) {

    /** The action type. */
    public String type() {
        return action.type();
    }

    /** The action key, e.g. the provider's order id. */
    public String key() {
        return action.key();
    }

    /** The JSON payload given at scheduling. */
    public String payload() {
        return action.payload();
    }
}
