package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputTarget;

/**
 * Every Klarna endpoint (push, notification, validation, shipping option update, address update,
 * country change) against the hostile input kit. Push and notification schedule their work, so
 * the scheduler is watched; validation and the checkout updates call the host at once, so the
 * validator and the update listener are counted, with the shop's own calls.
 */
class KlarnaHostileInputTest extends HostileInputContract {

    private static final KlarnaOrder CART = KlarnaOrderBuilder.order(KlarnaFixture.ORDER).status("checkout_incomplete")
            .fraudStatus(null).line("sku-1", 2, 5000).build();

    @Override
    protected HostileInputTarget createTarget() {
        AtomicLong calls = new AtomicLong();
        KlarnaFixture f = new KlarnaFixture(KlarnaFlavour.KLARNA, KlarnaCallbacks.builder()
                .validator(order -> {
                    calls.incrementAndGet();
                    return KlarnaCheckoutAnswer.approve();
                }, KlarnaCheckoutAnswer.approve())
                .checkoutUpdates(new KlarnaCheckoutUpdates() {
                    @Override
                    public KlarnaCheckoutAnswer shippingOptionUpdate(KlarnaOrder order, JsonNode selected) {
                        calls.incrementAndGet();
                        return KlarnaCheckoutAnswer.approve();
                    }

                    @Override
                    public KlarnaCheckoutAnswer addressUpdate(KlarnaOrder order) {
                        calls.incrementAndGet();
                        return KlarnaCheckoutAnswer.approve();
                    }

                    @Override
                    public KlarnaCheckoutAnswer countryChange(KlarnaOrder order) {
                        calls.incrementAndGet();
                        return KlarnaCheckoutAnswer.approve();
                    }
                }));
        f.withMatchingOrder();
        JsonNode shipping = JsonNodeFactory.instance.objectNode().put("id", "express").put("price", 4900);
        return HostileInputTarget.builder(f.router)
                .sample("push", f.requests.push(KlarnaFixture.ORDER).receivedAt(f.clock.instant()).build())
                .sample("notification", f.requests.notification(KlarnaFixture.ORDER, "FRAUD_RISK_ACCEPTED").build())
                .sample("validation", f.requests.validation(CART).build())
                .sample("shipping option update", f.requests.shippingOptionUpdate(CART, shipping).build())
                .sample("address update", f.requests.addressUpdate(CART).build())
                .sample("country change", f.requests.countryChange(CART).build())
                .listenerCalls(() -> calls.get() + f.shop.confirmed.size() + f.shop.mismatches.size()
                        + f.shop.completedByPush.size() + f.shop.fraudDecisions.size())
                .scheduler(f.scheduler)
                .build();
    }
}
