package org.callbackkit.klarna;

/** Test or real money. */
public enum KlarnaEnvironment {
    /** The playground: test credentials, no money moves; plain http callback URLs are allowed. */
    PLAYGROUND,
    /** Production: callback URLs must be https. */
    LIVE
}
