package org.callbackkit.ecster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;

/**
 * {@link EcsterApi} over HTTPS: the keys in {@code x-api-key} and {@code x-merchant-key}, a
 * connect timeout, and a timeout on each whole answer, body included. Failures become
 * {@link ProviderApiException}s that say whether a retry can help. Logs and messages name the
 * call and the order, never the keys. Thread-safe.
 */
final class EcsterHttpApi implements EcsterApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ProviderHttp http;
    private final EcsterCredentials credentials;

    EcsterHttpApi(ProviderHttp http, EcsterCredentials credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    @Override
    public EcsterOrder getOrder(String ecsterOrderId) {
        String path = "v1/orders/" + UntrustedText.requirePathSegmentId(ecsterOrderId, "Ecster order id");
        String call = "Ecster GET /" + path;
        String body = send(http.request(path).GET(), call, ecsterOrderId);
        try {
            EcsterOrder order = EcsterOrder.parse(body);
            if (!order.id().equals(ecsterOrderId)) {
                throw new IllegalArgumentException("answer is for order " + UntrustedText.printable(order.id()));
            }
            return order;
        } catch (IllegalArgumentException e) {
            throw http.unusable(call, ecsterOrderId, "an unusable order: " + e.getMessage(), e);
        }
    }

    /** Any 2xx is success; the answer's body is not needed. */
    @Override
    public void updateOrderReference(String ecsterOrderId, String orderReference) {
        if (Objects.requireNonNull(orderReference, "orderReference").isBlank()) {
            throw new IllegalArgumentException("orderReference must not be blank");
        }
        String path = "v1/orders/" + UntrustedText.requirePathSegmentId(ecsterOrderId, "Ecster order id") + "/orderReference";
        String json = MAPPER.createObjectNode().put("orderReference", orderReference).toString();
        send(http.request(path).PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
                "Ecster PUT /" + path, ecsterOrderId);
    }

    private String send(HttpRequest.Builder request, String call, String ecsterOrderId) {
        request.header("x-api-key", credentials.apiKey())
                .header("x-merchant-key", credentials.merchantKey())
                .header("Content-Type", "application/json"); // on every call, as Ecster's own examples send it
        return http.sendForBody(request.build(), call, ecsterOrderId, EcsterHttpApi::problem);
    }

    /** Ecster's error {@code title} and {@code detail} (RFC 7807). */
    private static ProviderHttp.Problem problem(JsonNode error) {
        String title = CallbackJson.text(error, "title");
        String detail = CallbackJson.text(error, "detail");
        String text = (title + (detail.isEmpty() ? "" : ": " + detail)).trim();
        return new ProviderHttp.Problem(null, null, UntrustedText.printable(text));
    }
}
