package org.callbackkit.klarna;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Klarna's push on the engine: re-read the order from Order Management, compare it with the shop's,
 * confirm it in the shop once, then acknowledge it and set the shop's order number as
 * {@code merchant_reference1} and its internal id, if any, as {@code merchant_reference2}
 * (follow-ups, each made once it is recorded).
 */
final class KlarnaPushFlow implements OrderFlow<KlarnaOrder, KlarnaShopOrder, KlarnaPushFlow.Event> {

    private static final Logger LOG = LoggerFactory.getLogger(KlarnaPushFlow.class);
    static final String ACKNOWLEDGE = "acknowledge";
    static final String MERCHANT_REFERENCES = "merchant-references";

    /** What the shop is told: confirm the order, or that it differs. */
    record Event(List<String> differences) {
        boolean confirms() {
            return differences.isEmpty();
        }
    }

    private final KlarnaSettings settings;

    KlarnaPushFlow(KlarnaSettings settings) {
        this.settings = settings;
    }

    /** Answers a push: a duplicate once the order is finished, else its work is scheduled (or already pending). */
    static CallbackResponse handle(CallbackRequest request, Reconciler<KlarnaOrder, KlarnaShopOrder, Event> push) {
        String orderId = Checks.orderIdOf(request);
        if (push.state(orderId).finished()) {
            return CallbackResponse.duplicate().withDetail("order " + orderId + " already acknowledged; nothing to do")
                    .withOrderReference(orderId);
        }
        return (push.accept(orderId, Optional.empty()).isPresent()
                ? CallbackResponse.ok().withDetail("push for order " + orderId + " scheduled")
                : CallbackResponse.duplicate().withDetail("push for order " + orderId + " already pending"))
                .withOrderReference(orderId);
    }

    @Override
    public String name() {
        return settings.name() + ".push";
    }

    @Override
    public Optional<KlarnaShopOrder> findShopOrder(String orderId, Optional<String> hint) {
        return settings.shop().findOrder(orderId);
    }

    @Override
    public KlarnaOrder fetch(String orderId) {
        return settings.api().getOrder(orderId);
    }

    @Override
    public Optional<KlarnaShopOrder> createShopOrder(KlarnaOrder order) {
        if (OrderComparison.NOT_CONFIRMABLE.contains(order.status())) {
            return Optional.empty(); // a cancelled, expired or closed order is never confirmed: nothing to create
        }
        Optional<KlarnaShopOrder> created = settings.shop().createOrder(order);
        created.ifPresent(shopOrder -> LOG.warn("Created shop order {} from {} order {}: backup order creation",
                shopOrder.reference(), settings.provider(), order.orderId()));
        return created;
    }

    /** A match confirms (once) and asks for the acknowledgement and references; a difference is a mismatch. */
    @Override
    public Decision<Event> decide(KlarnaOrder order, Optional<KlarnaShopOrder> found, OrderState state) {
        return decideOn(order, found).withProviderStatus(order.fraudStatusValue());
    }

    private Decision<Event> decideOn(KlarnaOrder order, Optional<KlarnaShopOrder> found) {
        String orderId = order.orderId();
        if (found.isEmpty()) {
            return Decision.waitFor("the shop has no order for " + settings.provider() + " order " + orderId + " yet");
        }
        KlarnaShopOrder shopOrder = found.get();
        List<String> differences = OrderComparison.differences(order, shopOrder, settings.amountTolerance());
        if (!differences.isEmpty()) {
            return Decision.giveUpTellingEachTime(new Event(differences),
                    "not acknowledged: " + String.join("; ", differences));
        }
        Decision<Event> settled = shopOrder.confirmed()
                ? Decision.settleSilently("shop order " + shopOrder.reference() + " was already confirmed; acknowledged")
                : Decision.settle(new Event(List.of()), "confirmed as shop order " + shopOrder.reference()
                        + " (fraud status " + order.fraudStatusValue() + ")");
        settled = settled.withFollowUp(ACKNOWLEDGE, "");
        return order.merchantReference1().equals(Optional.of(shopOrder.reference())) && shopOrder.internalId().isEmpty()
                ? settled
                : settled.withFollowUp(MERCHANT_REFERENCES, shopOrder.reference() + "\n" + shopOrder.internalId());
    }

    @Override
    public void tell(Event event, KlarnaOrder order, KlarnaShopOrder shopOrder, Source source) {
        if (!event.confirms()) {
            LOG.warn("{} order {} differs from shop order {}: {}", settings.provider(), order.orderId(),
                    shopOrder.reference(), event.differences());
            settings.shop().mismatch(order, shopOrder, event.differences());
            return;
        }
        settings.shop().confirm(order, shopOrder, source);
        if (source == Source.CALLBACK) {
            try {
                settings.shop().completedByPush(order, shopOrder);
            } catch (RuntimeException e) {
                LOG.error("Telling the shop that the push completed {} order {} failed", settings.provider(),
                        order.orderId(), e);
            }
        }
    }

    /** A push, not the browser, confirmed the order: journaled, after the settlement and outside the order's key. */
    @Override
    public void settled(String orderId, Settlement settlement, Source source) {
        if (source != Source.CALLBACK || settlement.outcome() != Settlement.Outcome.SETTLED) {
            return;
        }
        settings.journal().record(new JournalEntry(UUID.randomUUID().toString(), settings.clock().instant(),
                settings.provider(), KlarnaCallbacks.PUSH_COMPLETED, CallbackOutcome.ACCEPTED, 200, Duration.ZERO, "",
                "ACTION", settings.pathPrefix() + "/" + KlarnaCallbacks.PUSH + "/" + orderId, Map.of(), Map.of(), 0,
                "the push settled " + settings.provider() + " order " + orderId + ", " + settlement.detail()
                        + ": the shopper's browser never reached the confirmation page"));
    }

    @Override
    public void followUp(String orderId, String name, String argument) {
        switch (name) {
            case ACKNOWLEDGE -> settings.api().acknowledge(orderId);
            case MERCHANT_REFERENCES -> {
                String[] references = argument.split("\n", 2); // order number, then the internal id or ""
                String second = references.length > 1 && !references[1].isEmpty() ? references[1] : null;
                settings.api().setMerchantReferences(orderId, references[0], second);
            }
            default -> throw new IllegalStateException("no such follow-up: " + name);
        }
    }
}
