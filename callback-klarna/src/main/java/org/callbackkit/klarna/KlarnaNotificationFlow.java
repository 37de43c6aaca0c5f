package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Source;

/**
 * Klarna's fraud notification on the engine, keyed {@code orderId/event_type}: re-read the fraud
 * status from Order Management and tell the shop each decision once per order, event and status.
 * Never settles: a STOPPED after an ACCEPTED is news.
 */
final class KlarnaNotificationFlow implements OrderFlow<KlarnaNotificationFlow.Notified, KlarnaShopOrder, FraudEvent> {

    /** The event the notification named, and the order as Order Management has it now. */
    record Notified(FraudEvent event, KlarnaOrder order) {
    }

    private final KlarnaSettings settings;

    KlarnaNotificationFlow(KlarnaSettings settings) {
        this.settings = settings;
    }

    /** The action key of a notification: one action per order and event. */
    static String key(String orderId, FraudEvent event) {
        return orderId + "/" + event.name();
    }

    /** Answers a notification: 200 whatever the event, a known one's re-read scheduled once per order and event. */
    static CallbackResponse handle(CallbackRequest request,
            Reconciler<Notified, KlarnaShopOrder, FraudEvent> notification) {
        String pathOrderId = Checks.orderIdOf(request);
        JsonNode body = CallbackJson.readObject(request);
        String orderId = text(body, "order_id");
        String eventType = text(body, "event_type");
        if (!orderId.equals(pathOrderId)) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        Optional<FraudEvent> event = FraudEvent.of(eventType);
        if (event.isEmpty()) {
            return CallbackResponse.ok().withDetail("unknown event_type " + UntrustedText.printable(eventType) + " for order "
                    + orderId + ": recorded, not acted on");
        }
        // One action per order and event: a STOPPED after an ACCEPTED is news, not a duplicate.
        boolean scheduled = notification.accept(key(orderId, event.get()), Optional.empty()).isPresent();
        return CallbackResponse.ok().withDetail(eventType + " for order " + orderId
                + (scheduled ? ": fraud status will be re-read" : ": a re-read is already pending"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidCallbackException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private static String orderId(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    @Override
    public String name() {
        return settings.name() + ".notification";
    }

    @Override
    public Optional<KlarnaShopOrder> findShopOrder(String key, Optional<String> hint) {
        return settings.shop().findOrder(orderId(key));
    }

    @Override
    public Notified fetch(String key) {
        FraudEvent event = FraudEvent.of(key.substring(key.indexOf('/') + 1))
                .orElseThrow(() -> new IllegalStateException("scheduled with a known event: " + key));
        return new Notified(event, settings.api().getOrder(orderId(key)));
    }

    /** Waits for the shop order and for a decided fraud status (unless stopped), then tells once per status. */
    @Override
    public Decision<FraudEvent> decide(Notified notified, Optional<KlarnaShopOrder> shopOrder, OrderState state) {
        KlarnaOrder order = notified.order();
        FraudEvent event = notified.event();
        if (shopOrder.isEmpty()) {
            return Decision.waitFor("the shop has no order for " + settings.provider() + " order " + order.orderId()
                    + " yet");
        }
        if (event != FraudEvent.FRAUD_RISK_STOPPED && order.fraudStatus() == FraudStatus.PENDING) {
            return Decision.waitFor("Order Management still says fraud status PENDING after " + event);
        }
        String fraudStatus = order.fraudStatusValue().isEmpty() ? "not given" : order.fraudStatusValue();
        return Decision.tellOnce("fraud status " + fraudStatus, event, event + " for " + settings.provider() + " order "
                + order.orderId() + ": fraud status " + fraudStatus + " told to shop order " + shopOrder.get().reference());
    }

    @Override
    public void tell(FraudEvent event, Notified notified, KlarnaShopOrder shopOrder, Source source) {
        settings.shop().fraudDecision(notified.order(), shopOrder, event);
    }
}
