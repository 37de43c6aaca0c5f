package org.callbackkit.core;

/**
 * Where provider modules record what they did for an order: each call to the provider's API
 * ({@link ProviderHttp}) and each run of a delayed action (the reconciliation engine). The callback
 * journal is one ({@code CallbackJournal} extends this interface), and the journal page shows the
 * record on its order view. Give it to a provider module's builder ({@code journal(...)}).
 *
 * <p>Called on the thread that made the call or ran the action, after it ended: keep it quick.
 * Anything it throws is logged and ignored, so recording never fails a call or a run.
 */
@FunctionalInterface
public interface OrderActivityRecorder {

    /**
     * Records one call or run.
     *
     * @throws UnsupportedOperationException if this recorder keeps no activity (a journal written
     *     before activity was kept)
     */
    void recordActivity(OrderActivity activity);
}
