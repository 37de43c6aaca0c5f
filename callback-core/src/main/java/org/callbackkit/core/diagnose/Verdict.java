package org.callbackkit.core.diagnose;

/** What a delivery attempt amounts to, from the shop's point of view. */
public enum Verdict {
    /** A 2xx that looks like the shop's own answer. */
    DELIVERED,
    /** A 2xx that may hide a failure: an HTML page where JSON was expected, an error printed in the body. */
    SUSPECT_SUCCESS,
    /** A 3xx: the provider was sent elsewhere and does not follow. */
    REDIRECTED,
    /**
     * A firewall, WAF, security plugin or security filter in front of the shop's callback code
     * refused the callback (whatever the status, a 200 block page included).
     */
    BLOCKED_BY_FIREWALL,
    /**
     * Refused for arriving too often (a 429, a CDN's or plugin's rate limit, a proxy's request
     * limit): it never reached the shop's callback code, and the fix is to exempt the callback
     * paths from the limit, since providers retry.
     */
    RATE_LIMITED,
    /** A 4xx the shop's own code answered: bad input, authentication, method, an order it does not have. */
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
