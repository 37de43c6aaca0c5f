package org.callbackkit.klarna.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;

/**
 * Builds the requests Klarna (or Kustom) sends to the shop, for tests: method, path below the
 * callback mount, {@code User-Agent: APIs-Klarna} (observed on Klarna's callbacks; assumed for
 * Kustom), {@code Content-Type} and body. Route them through a {@code CallbackRouter} with
 * {@code dispatch}, or send them over HTTP (the demo driver does).
 */
public final class KlarnaCallbackRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> UPDATE_FIELDS = List.of("order_amount", "order_tax_amount", "order_lines",
            "billing_address", "shipping_address", "customer", "merchant_data");

    /** The User-Agent Klarna's callbacks carry, which hosting WAFs often block. */
    public static final String USER_AGENT = "APIs-Klarna";

    private final String pathPrefix;
    private final KlarnaFlavour flavour;
    private Instant receivedAt = Instant.parse("2026-01-01T00:00:00Z");

    /** Requests for a module with the flavour's default paths ({@code /klarna/...} or {@code /kustom/...}). */
    public KlarnaCallbackRequests(KlarnaFlavour flavour) {
        this("/" + flavour.provider(), flavour);
    }

    /** Requests for a Klarna module mounted with {@code pathPrefix}. */
    public KlarnaCallbackRequests(String pathPrefix) {
        this(pathPrefix, KlarnaFlavour.KLARNA);
    }

    /** Requests for a module of {@code flavour} mounted with {@code pathPrefix}. */
    public KlarnaCallbackRequests(String pathPrefix, KlarnaFlavour flavour) {
        this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
        this.flavour = Objects.requireNonNull(flavour, "flavour");
    }

    /** Stamps the requests built from now on as received at {@code receivedAt}. */
    public KlarnaCallbackRequests receivedAt(Instant receivedAt) {
        this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
        return this;
    }

    /**
     * The push as the docs show its URL: POST, empty body, the order id in the query
     * ({@code .../push?klarna_order_id=...}, Kustom: {@code kustom_order_id}), what
     * {@link KlarnaCallbacks#merchantUrls(String)} hands out.
     */
    public CallbackRequest.Builder push(String orderId) {
        return base(pathPrefix + "/" + KlarnaCallbacks.PUSH).addQueryParameter(flavour.orderIdParameter(), orderId)
                .body(new byte[0]);
    }

    /** The push to a URL with the order id as its last path segment ({@code .../push/{id}}), the other shape read. */
    public CallbackRequest.Builder pushWithOrderIdInPath(String orderId) {
        return base(path(KlarnaCallbacks.PUSH, orderId)).body(new byte[0]);
    }

    /** The validation callback: POST with the whole order as JSON. */
    public CallbackRequest.Builder validation(KlarnaOrder order) {
        return json(KlarnaCallbacks.VALIDATION, order.orderId(), order.json());
    }

    /** A fraud notification: POST {@code {"order_id":...,"event_type":...}}, as Klarna documents it. */
    public CallbackRequest.Builder notification(String orderId, String eventType) {
        String body = MAPPER.createObjectNode().put("order_id", orderId).put("event_type", eventType).toString();
        return json(KlarnaCallbacks.NOTIFICATION, orderId, body);
    }

    /**
     * The shipping option update: amounts, lines and addresses of {@code order} (not its id or
     * currency, which Klarna leaves out) plus {@code selected_shipping_option}.
     */
    public CallbackRequest.Builder shippingOptionUpdate(KlarnaOrder order, JsonNode selectedShippingOption) {
        ObjectNode body = updateBody(order);
        body.set("selected_shipping_option", selectedShippingOption);
        return json(KlarnaCallbacks.SHIPPING_OPTION_UPDATE, order.orderId(), body.toString());
    }

    /** The address update: amounts, lines and addresses of {@code order}, without its id or currency. */
    public CallbackRequest.Builder addressUpdate(KlarnaOrder order) {
        return json(KlarnaCallbacks.ADDRESS_UPDATE, order.orderId(), updateBody(order).toString());
    }

    /** The country change: amounts, lines and addresses of {@code order}, without its id or currency. */
    public CallbackRequest.Builder countryChange(KlarnaOrder order) {
        return json(KlarnaCallbacks.COUNTRY_CHANGE, order.orderId(), updateBody(order).toString());
    }

    /** What a checkout update carries, as Klarna and Kustom document it. */
    private static ObjectNode updateBody(KlarnaOrder order) {
        ObjectNode whole = order.jsonTree();
        ObjectNode body = MAPPER.createObjectNode();
        for (String field : UPDATE_FIELDS) {
            if (whole.has(field)) {
                body.set(field, whole.get(field));
            }
        }
        return body;
    }

    /** The path a callback of {@code kind} for {@code orderId} is sent to, below the callback mount. */
    public String path(String kind, String orderId) {
        return pathPrefix + "/" + kind + "/" + orderId;
    }

    private CallbackRequest.Builder json(String kind, String orderId, String body) {
        return base(path(kind, orderId))
                .header("Content-Type", "application/json")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    private CallbackRequest.Builder base(String path) {
        return CallbackRequest.builder()
                .method("POST")
                .path(path)
                .header("User-Agent", USER_AGENT)
                .remoteAddress("203.0.113.10")
                .receivedAt(receivedAt);
    }

}
