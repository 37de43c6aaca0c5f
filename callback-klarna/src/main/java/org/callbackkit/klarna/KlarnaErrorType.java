package org.callbackkit.klarna;

/** The {@code error_type} a shop may answer a checkout callback with; Klarna shows the shopper the error text. */
public enum KlarnaErrorType {
    /** The address is wrong or incomplete. */
    ADDRESS_ERROR("address_error"),
    /** The shop does not ship to that address. */
    UNSUPPORTED_SHIPPING_ADDRESS("unsupported_shipping_address"),
    /** Anything else that stops the purchase. */
    APPROVAL_FAILED("approval_failed");

    private final String wireName;

    KlarnaErrorType(String wireName) {
        this.wireName = wireName;
    }

    /** As sent in the JSON answer. */
    public String wireName() {
        return wireName;
    }
}
