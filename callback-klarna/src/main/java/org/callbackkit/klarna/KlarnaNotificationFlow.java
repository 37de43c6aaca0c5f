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
 * Never settles: a STOPPED after an ACCEPTED is news. An event type this module does not know (the
 * older docs' {@code ORDER_ACCEPTED}, {@code ORDER_REJECTED}) is re-read all the same, as Klarna's
 * Order Management plugin does, and the shop is told what the fraud status says.
 */
final class KlarnaNotificationFlow implements OrderFlow<KlarnaNotificationFlow.Notified, KlarnaShopOrder, FraudEvent> {

    /** The event the notification named (null when not one this module knows), and the order as Order Management has it now. */
    record Notified(FraudEvent event, KlarnaOrder order) {
    }

    /** The key's event part when the notification named none this module knows. */
    private static final String ANY_EVENT = "ANY";

    private final KlarnaSettings settings;

    KlarnaNotificationFlow(KlarnaSettings settings) {
        this.settings = settings;
    }

    /** The action key of a notification: one action per order and event. */
    static String key(String orderId, Optional<FraudEvent> event) {
        return orderId + "/" + event.map(Enum::name).orElse(ANY_EVENT);
    }

    /**
     * Answers a notification: 200, and the order's fraud status re-read once per order and event,
     * whatever the event (an unknown one too). The order id comes from the URL, or from the body's
     * {@code order_id} when the URL names none; when both name one, they must be the same.
     */
    static CallbackResponse handle(CallbackRequest request,
            Reconciler<Notified, KlarnaShopOrder, FraudEvent> notification) {
        Optional<String> inUrl = Checks.orderIdInUrl(request);
        JsonNode body = CallbackJson.readObject(request);
        String bodyOrderId = optionalText(body, "order_id");
        String eventType = optionalText(body, "event_type");
        if (inUrl.isPresent() && !bodyOrderId.isEmpty() && !bodyOrderId.equals(inUrl.get())) {
            throw new InvalidCallbackException("order_id differs from the order id in the URL");
        }
        if (inUrl.isEmpty() && !Checks.isOrderId(bodyOrderId)) {
            throw new InvalidCallbackException(bodyOrderId.isEmpty() ? "no order id in the URL or the body's order_id"
                    : "order_id is not a Klarna order id");
        }
        String orderId = inUrl.orElse(bodyOrderId);
        Optional<FraudEvent> event = FraudEvent.of(eventType);
        // One action per order and event: a STOPPED after an ACCEPTED is news, not a duplicate.
        boolean scheduled = notification.accept(key(orderId, event), Optional.empty()).isPresent();
        String named = event.isPresent() ? eventType : "event_type " + (eventType.isEmpty() ? "(none)"
                : UntrustedText.printable(eventType) + " (not one this module knows)");
        return CallbackResponse.ok().withDetail(named + " for order " + orderId
                + (scheduled ? ": fraud status will be re-read" : ": a re-read is already pending"))
                .withOrderReference(orderId);
    }

    /** The text of {@code field}, "" when absent or null. */
    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new InvalidCallbackException(field + " must be a string");
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
        FraudEvent event = FraudEvent.of(key.substring(key.indexOf('/') + 1)).orElse(null);
        return new Notified(event, settings.api().getOrder(orderId(key)));
    }

    /** Waits for the shop order and for a decided fraud status (unless stopped), then tells once per status. */
    @Override
    public Decision<FraudEvent> decide(Notified notified, Optional<KlarnaShopOrder> shopOrder, OrderState state) {
        KlarnaOrder order = notified.order();
        FraudEvent event = notified.event() != null ? notified.event() : switch (order.fraudStatus()) {
            case ACCEPTED -> FraudEvent.FRAUD_RISK_ACCEPTED;
            case REJECTED -> FraudEvent.FRAUD_RISK_REJECTED;
            default -> null;
        };
        if (event == null && order.fraudStatus() != FraudStatus.PENDING) {
            return Decision.nothing("a notification for " + settings.provider() + " order " + order.orderId()
                    + " without a known event, and fraud status " + order.fraudStatusValue() + ": nothing to tell");
        }
        if (shopOrder.isEmpty()) {
            return Decision.waitFor("the shop has no order for " + settings.provider() + " order " + order.orderId()
                    + " yet");
        }
        if (event != FraudEvent.FRAUD_RISK_STOPPED && order.fraudStatus() == FraudStatus.PENDING) {
            return Decision.waitFor("Order Management still says fraud status PENDING after "
                    + (event == null ? "a notification" : event));
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
