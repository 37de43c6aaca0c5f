package org.callbackkit.core.diagnose;

/** What a delivery attempt amounts to, from the shop's point of view. */
public enum Verdict {
    /** A 2xx that looks like the shop's own answer. */
    DELIVERED,
    /** A 2xx that may hide a failure (an HTML or block page where JSON was expected). */
    SUSPECT_SUCCESS,
    /** A 3xx: the provider was sent elsewhere and does not follow. */
    REDIRECTED,
    /** A 4xx (or 503) page from a firewall, WAF or security plugin in front of the shop. */
    BLOCKED_BY_FIREWALL,
    /** A 4xx the shop's own code answered: bad input, authentication, method, rate limit. */
    REJECTED,
    /** A 404: the callback path does not exist on the shop. */
    NOT_FOUND,
    /** A 5xx: the shop or a server in front of it failed. */
    SERVER_ERROR,
    /** The TLS handshake or certificate check failed. */
    TLS_FAILURE,
    /** No connection: DNS failure, refused, or unroutable. */
    UNREACHABLE,
    /** Connected, but no answer in time. */
    TIMEOUT
}
