package org.callbackkit.spring;

/** A store the starter made, so it starts and closes it with the application context. */
interface ManagedStore extends CallbackKitStore, AutoCloseable {

    /** Starts running delayed actions (those left from before a restart too). */
    void start();

    /** Stops running actions, waits for running ones, and closes what the store opened. Idempotent. */
    @Override
    void close();
}
