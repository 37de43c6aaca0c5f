package org.callbackkit.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a host name to its addresses; the system resolver unless a test injects another. */
@FunctionalInterface
public interface HostResolver {

    /**
     * The addresses of {@code host}; an IP literal resolves to itself without a lookup.
     *
     * @throws UnknownHostException if the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
