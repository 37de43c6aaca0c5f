package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The shop's answer to a checkout callback (validation, shipping option update, address update,
 * country change), chosen by the host's {@link KlarnaValidator} or {@link KlarnaCheckoutUpdates}.
 * Immutable.
 */
public final class KlarnaCheckoutAnswer {

    /** What kind of answer. */
    public enum Kind {
        /** 200: the purchase may go on, the order unchanged. */
        APPROVE,
        /** 200 with an updated order (updates only). */
        UPDATE,
        /** 303 to a shop page: the purchase stops and the shopper is sent there. */
        REDIRECT,
        /** 400 with {@code error_type} and {@code error_text}: Klarna shows the text. */
        REJECT
    }

    private static final KlarnaCheckoutAnswer APPROVE = new KlarnaCheckoutAnswer(Kind.APPROVE, null, null, null, null);

    private final Kind kind;
    private final JsonNode updatedOrder;
    private final URI location;
    private final KlarnaErrorType errorType;
    private final String errorText;

    private KlarnaCheckoutAnswer(Kind kind, JsonNode updatedOrder, URI location, KlarnaErrorType errorType,
            String errorText) {
        this.kind = kind;
        this.updatedOrder = updatedOrder;
        this.location = location;
        this.errorType = errorType;
        this.errorText = errorText;
    }

    /** Approve: 200, order unchanged. */
    public static KlarnaCheckoutAnswer approve() {
        return APPROVE;
    }

    /**
     * For updates: 200 with this order (amounts, lines, shipping options). A validator answering
     * it is treated as approving.
     *
     * @throws IllegalArgumentException unless a JSON object
     */
    public static KlarnaCheckoutAnswer update(JsonNode updatedOrder) {
        if (updatedOrder == null || !updatedOrder.isObject()) {
            throw new IllegalArgumentException("an updated order is a JSON object");
        }
        return new KlarnaCheckoutAnswer(Kind.UPDATE, updatedOrder.deepCopy(), null, null, null);
    }

    /**
     * Stop the purchase and send the shopper to {@code location}: 303 See Other.
     *
     * @throws IllegalArgumentException unless an absolute http(s) URI
     */
    public static KlarnaCheckoutAnswer redirect(URI location) {
        String scheme = Objects.requireNonNull(location, "location").getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("redirect to an absolute http(s) URI: " + location);
        }
        return new KlarnaCheckoutAnswer(Kind.REDIRECT, null, location, null, null);
    }

    /**
     * Stop the purchase with a message for the shopper: 400 with {@code error_type} and {@code error_text}.
     *
     * @throws IllegalArgumentException if text is blank
     */
    public static KlarnaCheckoutAnswer reject(KlarnaErrorType type, String text) {
        Objects.requireNonNull(type, "type");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an error text is required");
        }
        return new KlarnaCheckoutAnswer(Kind.REJECT, null, null, type, text);
    }

    /** What kind of answer. */
    public Kind kind() {
        return kind;
    }

    /** The updated order of an {@link Kind#UPDATE}. */
    public Optional<JsonNode> updatedOrder() {
        return Optional.ofNullable(updatedOrder).map(JsonNode::deepCopy);
    }

    /** Where a {@link Kind#REDIRECT} sends the shopper. */
    public Optional<URI> location() {
        return Optional.ofNullable(location);
    }

    /** The error type of a {@link Kind#REJECT}. */
    public Optional<KlarnaErrorType> errorType() {
        return Optional.ofNullable(errorType);
    }

    /** The error text of a {@link Kind#REJECT}. */
    public Optional<String> errorText() {
        return Optional.ofNullable(errorText);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case APPROVE -> "approve";
            case UPDATE -> "update";
            case REDIRECT -> "redirect to " + location;
            case REJECT -> "reject " + errorType.wireName() + ": " + errorText;
        };
    }
}
