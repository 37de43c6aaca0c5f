package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.UntrustedText;

/**
 * {@link KlarnaApi} over HTTPS on core's {@link ProviderHttp}: Basic auth with the merchant's
 * credentials, a connect timeout, and a timeout for each whole answer, body included. Acknowledge
 * and merchant-reference calls carry a {@code Klarna-Idempotency-Key} derived from the order, so
 * a retry after a lost answer is not applied twice. Non-2xx answers become
 * {@link ProviderApiException}s carrying Klarna's error code, messages and correlation id. Order
 * ids are checked before they reach a URL. Logs name the call, the order and the correlation id,
 * never the credentials. Thread-safe.
 */
final class KlarnaHttpApi implements KlarnaApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ProviderHttp http;
    private final String authorization;

    KlarnaHttpApi(ProviderHttp http, KlarnaCredentials credentials) {
        this.http = http;
        this.authorization = credentials.basicAuthorization();
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public KlarnaOrder getOrder(String orderId) {
        return order(orderId, "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public void acknowledge(String orderId) {
        send(orderId, "POST", "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId) + "/acknowledge", null,
                idempotencyKey("acknowledge", orderId));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public void setMerchantReferences(String orderId, String merchantReference1, String merchantReference2) {
        Objects.requireNonNull(merchantReference1, "merchantReference1");
        ObjectNode body = MAPPER.createObjectNode().put("merchant_reference1", merchantReference1);
        if (merchantReference2 != null) {
            body.put("merchant_reference2", merchantReference2);
        }
        send(orderId, "PATCH", "ordermanagement/v1/orders/" + Checks.requireOrderId(orderId) + "/merchant-references",
                body.toString(), idempotencyKey("merchant-references", orderId + "\n" + body));
    }

    /** @throws IllegalArgumentException if {@code orderId} is not a Klarna order id */
    @Override
    public KlarnaOrder getCheckoutOrder(String orderId) {
        return order(orderId, "checkout/v3/orders/" + Checks.requireOrderId(orderId));
    }

    /** The same key for the same call on the same order: Klarna applies it once. */
    private static String idempotencyKey(String call, String what) {
        return UUID.nameUUIDFromBytes((call + "\n" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private KlarnaOrder order(String orderId, String path) {
        String body = send(orderId, "GET", path, null, null);
        try {
            KlarnaOrder order = KlarnaOrder.parse(body);
            if (!order.orderId().equals(orderId)) {
                throw new IllegalArgumentException("answer is for order " + order.orderId());
            }
            return order;
        } catch (IllegalArgumentException e) {
            throw http.unusable("Klarna GET /" + path + " for order " + orderId, orderId,
                    "an unusable order: " + e.getMessage(), e);
        }
    }

    private String send(String orderId, String method, String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = http.request(path).header("Authorization", authorization);
        if (idempotencyKey != null) {
            request.header("Klarna-Idempotency-Key", idempotencyKey);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return http.sendForBody(request.build(), "Klarna " + method + " /" + path + " for order " + orderId, orderId,
                KlarnaHttpApi::problem);
    }

    /** Klarna's {@code error_code}, {@code error_messages} and {@code correlation_id}. */
    private static ProviderHttp.Problem problem(JsonNode error) {
        List<String> messages = new ArrayList<>();
        error.path("error_messages").forEach(message -> messages.add(UntrustedText.printable(message.asText())));
        return new ProviderHttp.Problem(textOrNull(error, "error_code"), textOrNull(error, "correlation_id"),
                String.join("; ", messages));
    }

    private static String textOrNull(JsonNode error, String field) {
        return error.path(field).isTextual() ? UntrustedText.printable(error.get(field).asText()) : null;
    }
}
