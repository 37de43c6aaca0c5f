package org.callbackkit.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the store's action threads once the context is refreshed and stops them when it closes.
 *
 * <p>A {@link SmartLifecycle} rather than an init method: {@link #start()} runs after every
 * singleton exists, so every provider module and every handler the application registers in its
 * own beans is on the scheduler before actions left from before a restart run. Its phase is below
 * the web server's ({@code WebServerStartStopLifecycle}, {@code DEFAULT_PHASE - 2048}; graceful
 * shutdown's is {@code DEFAULT_PHASE - 1024}): a lower phase starts earlier and stops later, so the
 * store starts before the server takes callbacks and stops only after the server stopped taking them
 * (and after graceful shutdown let the last ones finish), so no callback meets a closed store. Within
 * one phase Spring stops beans in registration order, so the phase must be strictly lower. Then it
 * waits for running actions and closes the database it opened; the bean's destroy method closes it
 * again, a no-op.
 */
final class StoreLifecycle implements SmartLifecycle {

    /** Strictly below the web server's phase ({@code DEFAULT_PHASE - 2048}), so started before it and stopped after it. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ObjectProvider<CallbackKitStore> store;
    private volatile boolean running;

    StoreLifecycle(ObjectProvider<CallbackKitStore> store) {
        this.store = store;
    }

    @Override
    public void start() {
        CallbackKitStore current = store.getIfAvailable();
        if (current instanceof ManagedStore managed) {
            managed.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        CallbackKitStore current = store.getIfAvailable();
        if (current instanceof ManagedStore managed) {
            managed.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
