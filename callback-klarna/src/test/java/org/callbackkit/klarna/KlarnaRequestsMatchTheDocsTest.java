package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;

import org.callbackkit.core.intake.CallbackEndpoint;
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

    @Test
    void theSampleValidationIsAWholeCheckoutOrder() {
        // Klarna's "Validate order" body: the checkout order with lines, addresses, references and merchant_data
        String documented = """
                {"order_id": "f3392f8b-6116-4073-ab96-e330819e2c07", "status": "checkout_incomplete",
                 "purchase_country": "se", "purchase_currency": "SEK", "locale": "sv-SE",
                 "billing_address": {"given_name": "Anna", "family_name": "Andersson",
                   "email": "anna.andersson@example.com", "street_address": "Storgatan 1", "postal_code": "114 51",
                   "city": "Stockholm", "phone": "+46701740615", "country": "se"},
                 "shipping_address": {"given_name": "Anna", "family_name": "Andersson",
                   "email": "anna.andersson@example.com", "street_address": "Storgatan 1", "postal_code": "114 51",
                   "city": "Stockholm", "phone": "+46701740615", "country": "se"},
                 "customer": {"type": "person"}, "order_amount": 25900, "order_tax_amount": 5180,
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
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).samples("validation").get("validation"),
                CallbackRequests.postJson("/klarna/validation/" + ORDER, documented).header("User-Agent", "APIs-Klarna")
                        .build());
    }

    @Test
    void everyKindTheModuleMountsHasSamplesInEveryPathShape() {
        for (KlarnaFlavour flavour : KlarnaFlavour.values()) {
            KlarnaCallbackRequests requests = new KlarnaCallbackRequests(flavour);
            for (CallbackEndpoint endpoint : KlarnaCallbacks.describeEndpoints(flavour)) {
                String template = endpoint.path().replaceAll("\\{[^}/]+}", "[^/]+");
                assertThat(requests.samples(endpoint.kind()).values()).as(endpoint.path())
                        .anySatisfy(sample -> assertThat(sample.path()).matches(template));
            }
        }
        RequestShapes.assertSameShape(new KlarnaCallbackRequests(KlarnaFlavour.KUSTOM).samples("push").get("order id in query"),
                CallbackRequests.post("/kustom/push").rawQuery("kustom_order_id=" + ORDER).build());
    }
}
