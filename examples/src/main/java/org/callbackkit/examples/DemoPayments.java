package org.callbackkit.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.schedule.ActionContext;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;

/**
 * The demo's own provider, {@code demo}: one callback kind, {@code payment}, at
 * {@code POST /demo/payment/{orderId}} with {@code {"event":"PAID","amount":12345}}, authenticated
 * by a shared {@value #SECRET_HEADER} header. The callback is answered at once and the order is
 * marked paid later by a {@value #ACTION_TYPE} delayed action, as a real provider module does.
 */
final class DemoPayments {

    static final String PROVIDER = "demo";
    static final String KIND = "payment";
    static final String PATH = "/demo/payment/{orderId}";
    static final String ACTION_TYPE = "demo.payment";
    static final String SECRET_HEADER = "X-Demo-Secret";

    private static final Set<String> FIELDS = Set.of("event", "amount");

    private final byte[] secret;
    private final DemoOrders orders;
    private final DelayedActionScheduler scheduler;
    private final Clock clock;
    private final Duration delay;

    DemoPayments(String secret, DemoOrders orders, DelayedActionScheduler scheduler, Clock clock, Duration delay) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.orders = orders;
        this.scheduler = scheduler;
        this.clock = clock;
        this.delay = delay;
        scheduler.register(ACTION_TYPE, this::execute);
    }

    CallbackEndpoint endpoint() {
        return CallbackEndpoint.builder(PROVIDER, KIND)
                .path(PATH)
                .orderReferenceParameter("orderId")
                .methods("POST")
                .contentTypes("application/json")
                .redact(SECRET_HEADER)
                .handler(this::handle)
                .build();
    }

    private CallbackResponse handle(CallbackRequest request) {
        authenticate(request);
        long amount = parseAmount(request);
        String orderId = request.pathParameter("orderId").orElseThrow();
        Optional<DemoOrders.Order> order = orders.find(orderId);
        if (order.isEmpty()) {
            return CallbackResponse.notFound("unknown order").withDetail("unknown order " + orderId)
                    .withOrderReference(orderId);
        }
        if (order.get().status() == DemoOrders.Status.PAID) {
            return CallbackResponse.duplicate().withDetail("order already paid").withOrderReference(orderId);
        }
        String payload = DemoJson.MAPPER.createObjectNode().put("amount", amount).toString();
        if (!scheduler.schedule(new DelayedAction(ACTION_TYPE, orderId, payload, clock.instant().plus(delay)))) {
            return CallbackResponse.duplicate().withDetail("already pending").withOrderReference(orderId);
        }
        return CallbackResponse.ok()
                .withDetail("scheduled " + ACTION_TYPE + " for order " + orderId + " in " + delay.toMillis() + " ms")
                .withOrderReference(orderId);
    }

    private void authenticate(CallbackRequest request) {
        String given = request.headers().first(SECRET_HEADER)
                .orElseThrow(() -> new UnauthenticatedCallbackException("missing " + SECRET_HEADER));
        if (!MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthenticatedCallbackException("wrong " + SECRET_HEADER);
        }
    }

    /** Parses {@code {"event":"PAID","amount":n}} strictly: nothing missing, nothing extra. */
    private static long parseAmount(CallbackRequest request) {
        JsonNode body;
        try {
            body = DemoJson.MAPPER.readTree(request.bodyStream());
        } catch (JsonProcessingException e) {
            throw new InvalidCallbackException("malformed JSON", e);
        } catch (IOException e) {
            throw new InvalidCallbackException("unreadable body", e);
        }
        if (body == null || !body.isObject()) {
            throw new InvalidCallbackException("body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            if (!FIELDS.contains(names.next())) {
                throw new InvalidCallbackException("unknown field");
            }
        }
        JsonNode event = body.get("event");
        if (event == null || !event.isTextual()) {
            throw new InvalidCallbackException("event must be a string");
        }
        if (!event.textValue().equals("PAID")) {
            throw new InvalidCallbackException("unsupported event");
        }
        JsonNode amount = body.get("amount");
        if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong() || amount.longValue() <= 0) {
            throw new InvalidCallbackException("amount must be a positive integer in minor units");
        }
        return amount.longValue();
    }

    /** The delayed work: marks the order paid if the amount matches; safe to run twice. */
    private ActionResult execute(ActionContext context) throws IOException {
        long amount = DemoJson.MAPPER.readTree(context.payload()).path("amount").asLong();
        Optional<DemoOrders.Order> order = orders.find(context.key());
        if (order.isEmpty()) {
            return ActionResult.giveUp("unknown order " + context.key());
        }
        if (order.get().amountMinor() != amount) {
            return ActionResult.giveUp("amount mismatch: paid " + amount + ", order " + order.get().amountMinor());
        }
        orders.markPaid(context.key());
        return ActionResult.done();
    }
}
