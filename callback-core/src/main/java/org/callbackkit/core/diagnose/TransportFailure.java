package org.callbackkit.core.diagnose;

/** Why a delivery attempt got no HTTP answer at all. */
public enum TransportFailure {
    /** The host name did not resolve. */
    DNS,
    /** Nothing listens, or a firewall refused the connection. */
    CONNECTION_REFUSED,
    /** No connection or no answer within the provider's deadline. */
    TIMEOUT,
    /** The TLS handshake failed (protocol or cipher mismatch, reset during handshake). */
    TLS_HANDSHAKE,
    /** The certificate was refused: self-signed, expired, wrong host name, or incomplete chain. */
    CERTIFICATE,
    /** Any other I/O failure. */
    OTHER
}
