package org.callbackkit.klarna;

import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.test.RequestShapes;
import org.junit.jupiter.api.Test;

/**
 * {@link KlarnaCallbackRequests} sends what Klarna's and Kustom's documentation shows ("Confirm
 * purchase": the push to {@code push?klarna_order_id=...} with an empty body; the notification
 * {@code {"order_id", "event_type"}}), written out here.
 */
class KlarnaRequestsMatchTheDocsTest {

    private static final String ORDER = "f3392f8b-6116-4073-ab96-e330819e2c07";

    @Test
    void thePush() {
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).push(ORDER).build(),
                CallbackRequests.post("/klarna/push").rawQuery("klarna_order_id=" + ORDER).build());
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KUSTOM).push(ORDER).build(),
                CallbackRequests.post("/kustom/push").rawQuery("kustom_order_id=" + ORDER).build());
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).pushWithOrderIdInPath(ORDER).build(),
                CallbackRequests.post("/klarna/push/" + ORDER).build());
    }

    @Test
    void theFraudNotification() {
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA)
                        .notification(ORDER, "FRAUD_RISK_ACCEPTED").build(),
                CallbackRequests.postJson("/klarna/notification/" + ORDER,
                        "{\"order_id\": \"" + ORDER + "\", \"event_type\": \"FRAUD_RISK_ACCEPTED\"}").build());
    }

    @Test
    void theValidationCarriesTheWholeOrder() {
        String documented = """
                {"order_id": "f3392f8b-6116-4073-ab96-e330819e2c07", "status": "checkout_incomplete",
                 "purchase_country": "se", "purchase_currency": "SEK", "locale": "sv-SE",
                 "order_amount": 10000, "order_tax_amount": 2000,
                 "order_lines": [{"type": "physical", "reference": "sku-1", "name": "Mug", "quantity": 1,
                                  "unit_price": 10000, "tax_rate": 2500, "total_amount": 10000,
                                  "total_tax_amount": 2000}],
                 "merchant_data": "cart-77"}
                """;
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA)
                        .validation(KlarnaOrder.parse(documented)).build(),
                CallbackRequests.postJson("/klarna/validation/" + ORDER, documented).build());
    }
}
