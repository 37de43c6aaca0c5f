package org.callbackkit.avarda;

import java.net.URI;

/** Where Avarda's Checkout 3 backend API lives. */
public enum AvardaEnvironment {
    /** {@code https://stage.checkout-api.avarda.com}: test credentials, no real money. */
    STAGE("https://stage.checkout-api.avarda.com/"),
    /** {@code https://checkout-api.avarda.com}: live purchases. */
    PRODUCTION("https://checkout-api.avarda.com/");

    private final URI baseUri;

    AvardaEnvironment(String baseUri) {
        this.baseUri = URI.create(baseUri);
    }

    /** The API base; {@code api/partner/...} is resolved against it. */
    public URI baseUri() {
        return baseUri;
    }
}
