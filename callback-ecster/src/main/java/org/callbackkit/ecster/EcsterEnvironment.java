package org.callbackkit.ecster;

import java.net.URI;

/** Where Ecster's REST API lives: its test environment ("labs") or the live one. */
public enum EcsterEnvironment {
    /** {@code https://labs.ecster.se/rest/public/}: test accounts, no real money. */
    LABS("https://labs.ecster.se/rest/public/"),
    /** {@code https://secure.ecster.se/rest/public/}: live orders. */
    LIVE("https://secure.ecster.se/rest/public/");

    private final URI baseUri;

    EcsterEnvironment(String baseUri) {
        this.baseUri = URI.create(baseUri);
    }

    /** The REST base; {@code v1/orders/{id}} is resolved against it. */
    public URI baseUri() {
        return baseUri;
    }
}
