package org.callbackkit.klarna.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The Klarna order id of {@link #sampleOrder()} and of every {@link #samples} request. */
    public static final String SAMPLE_ORDER_ID = "f3392f8b-6116-4073-ab96-e330819e2c07";

    /**
     * A checkout order as Klarna sends it to the validation callback: two lines (a product and
     * shipping), billing and shipping addresses, the shop's references, and {@code merchant_data}
     * holding a JSON string of cart data, as shops put there. Firewall rules fire on exactly these
     * fields (CRS at paranoia level 2 on {@code merchant_data}), so probes must carry them.
     */
    private static final String SAMPLE_ORDER = """
            {"order_id": "f3392f8b-6116-4073-ab96-e330819e2c07", "status": "checkout_incomplete",
             "purchase_country": "se", "purchase_currency": "SEK", "locale": "sv-SE",
             "billing_address": {"given_name": "Anna", "family_name": "Andersson", "email": "anna.andersson@example.com",
                                 "street_address": "Storgatan 1", "postal_code": "114 51", "city": "Stockholm",
                                 "phone": "+46701740615", "country": "se"},
             "shipping_address": {"given_name": "Anna", "family_name": "Andersson", "email": "anna.andersson@example.com",
                                  "street_address": "Storgatan 1", "postal_code": "114 51", "city": "Stockholm",
                                  "phone": "+46701740615", "country": "se"},
             "customer": {"type": "person"},
             "order_amount": 25900, "order_tax_amount": 5180,
             "order_lines": [
               {"type": "physical", "reference": "MUG-BLUE-350", "name": "Mug, blue, 350 ml", "quantity": 2,
                "quantity_unit": "pcs", "unit_price": 9950, "tax_rate": 2500, "total_amount": 19900,
                "total_discount_amount": 0, "total_tax_amount": 3980},
               {"type": "shipping_fee", "reference": "flat_rate:1", "name": "PostNord MyPack", "quantity": 1,
                "unit_price": 6000, "tax_rate": 2500, "total_amount": 6000, "total_discount_amount": 0,
                "total_tax_amount": 1200}],
             "merchant_reference1": "1042", "merchant_reference2": "",
             "merchant_data": "{\\"cart_hash\\":\\"5f1d7a2c9e\\",\\"is_user_logged_in\\":false}",
             "options": {"allow_separate_shipping_address": false}}
            """;

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

    /** The realistic checkout order of the samples: lines, addresses, references and {@code merchant_data}. */
    public static KlarnaOrder sampleOrder() {
        return KlarnaOrder.parse(SAMPLE_ORDER);
    }

    /**
     * Realistic requests of {@code kind}, as Klarna sends them for {@link #sampleOrder()}, by the
     * builders above, so a sample always has the shape they have: the push in both URL shapes
     * ({@code "order id in path"}, {@code "order id in query"}), the notification in both
     * ({@code "order id in path"}, {@code "order id in body"}), else one request named {@code kind}. The callback doctor probes a shop with exactly these.
     *
     * @return the samples by name, in order; empty for a kind the module does not know
     */
    public Map<String, CallbackRequest> samples(String kind) {
        KlarnaOrder order = sampleOrder();
        Map<String, CallbackRequest> samples = new LinkedHashMap<>();
        switch (Objects.requireNonNull(kind, "kind")) {
            case KlarnaCallbacks.PUSH -> {
                samples.put("order id in path", pushWithOrderIdInPath(SAMPLE_ORDER_ID).build());
                samples.put("order id in query", push(SAMPLE_ORDER_ID).build());
            }
            case KlarnaCallbacks.VALIDATION -> samples.put(kind, validation(order).build());
            case KlarnaCallbacks.NOTIFICATION -> {
                samples.put("order id in path", notification(SAMPLE_ORDER_ID, "FRAUD_RISK_ACCEPTED").build());
                samples.put("order id in body", notification(SAMPLE_ORDER_ID, "FRAUD_RISK_ACCEPTED")
                        .path(pathPrefix + "/" + KlarnaCallbacks.NOTIFICATION).build());
            }
            case KlarnaCallbacks.SHIPPING_OPTION_UPDATE -> samples.put(kind, shippingOptionUpdate(order, MAPPER.createObjectNode()
                    .put("id", "flat_rate:1").put("name", "PostNord MyPack").put("price", 6000).put("tax_amount", 1200)
                    .put("tax_rate", 2500)).build());
            case KlarnaCallbacks.ADDRESS_UPDATE -> samples.put(kind, addressUpdate(order).build());
            case KlarnaCallbacks.COUNTRY_CHANGE -> samples.put(kind, countryChange(order).build());
            default -> { }
        }
        return samples;
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
