package org.callbackkit.klarna;

/** The region of the merchant account, which picks the API host. */
public enum KlarnaRegion {
    /** Europe. */
    EU,
    /** North America. */
    NA,
    /** Oceania. */
    OC
}
