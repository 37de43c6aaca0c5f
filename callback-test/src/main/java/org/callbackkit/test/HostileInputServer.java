package org.callbackkit.test;

import java.util.Map;

/**
 * A running server that {@link HostileInputContract} attacks: a framework's adapter with the
 * target's router mounted at {@code /callbacks}, listening on 127.0.0.1. The contract starts one
 * per test through {@link HostileInputContract#startServer} and closes it afterwards.
 */
public interface HostileInputServer extends AutoCloseable {

    /** The port on 127.0.0.1 it listens on. */
    int port();

    /**
     * The attacks this server cannot pass through no fault of the adapter, by the name the test
     * report shows (e.g. {@code a body that stops arriving}), each with the reason, which the
     * report shows as the test's skip reason. Default none: the contract is passed in full.
     */
    default Map<String, String> exemptions() {
        return Map.of();
    }

    /** Stops the server. */
    @Override
    void close() throws Exception;
}
