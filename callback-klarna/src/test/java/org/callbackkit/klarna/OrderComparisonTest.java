package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The comparison on orders in the shape Order Management documents (GET /ordermanagement/v1/orders/{id}),
 * written here as Klarna sends them, not built by our own builders.
 */
class OrderComparisonTest {

    /** A US order: two mugs, a shipping fee, sales tax as its own line, and a discount. */
    private static final String US_ORDER = """
            {
              "order_id": "0b1d9815-165e-42e2-8867-35bc03789e00",
              "status": "AUTHORIZED",
              "fraud_status": "ACCEPTED",
              "purchase_currency": "USD",
              "order_amount": 5470,
              "order_tax_amount": 370,
              "order_lines": [
                {"type": "physical", "reference": "mug-1", "name": "Mug", "quantity": 2, "unit_price": 2500,
                 "tax_rate": 0, "total_amount": 5000, "total_tax_amount": 0},
                {"type": "shipping_fee", "reference": "SHIPPING", "name": "Standard", "quantity": 1,
                 "unit_price": 600, "tax_rate": 0, "total_amount": 600, "total_tax_amount": 0},
                {"type": "discount", "reference": "WELCOME5", "name": "Welcome", "quantity": 1, "unit_price": -500,
                 "tax_rate": 0, "total_amount": -500, "total_tax_amount": 0},
                {"type": "sales_tax", "reference": "Sales Tax", "name": "Sales Tax", "quantity": 1, "unit_price": 370,
                 "tax_rate": 0, "total_amount": 370, "total_tax_amount": 0}
              ]
            }
            """;

    private final KlarnaOrder order = KlarnaOrder.parse(US_ORDER);

    @Test
    void linesKlarnaAddsThatAreNotProductsAreComparedOnlyThroughTheTotal() {
        KlarnaShopOrder shop = KlarnaShopOrder.of("1001", "USD", 5470).withLines(List.of(new KlarnaShopOrder.Line("mug-1", 2)));

        assertThat(OrderComparison.differences(order, shop, 1)).isEmpty();
    }

    @Test
    void aShopThatListsItsShippingLineTooIsComparedOnItAsOnAnyLine() {
        KlarnaShopOrder listed = KlarnaShopOrder.of("1001", "USD", 5470).withLines(List.of(
                new KlarnaShopOrder.Line("mug-1", 2), new KlarnaShopOrder.Line("SHIPPING", 1)));
        KlarnaShopOrder twice = KlarnaShopOrder.of("1001", "USD", 5470).withLines(List.of(
                new KlarnaShopOrder.Line("mug-1", 2), new KlarnaShopOrder.Line("SHIPPING", 2)));

        assertThat(OrderComparison.differences(order, listed, 1)).isEmpty();
        assertThat(OrderComparison.differences(order, twice, 1))
                .containsExactly("line SHIPPING: quantity 1 at Klarna (amount 600), 2 in the shop");
    }

    @Test
    void aMismatchSaysWhichLineAndWhichAmount() {
        KlarnaShopOrder shop = KlarnaShopOrder.of("1001", "USD", 5470).withLines(List.of(new KlarnaShopOrder.Line("mug-1", 3)));

        assertThat(OrderComparison.differences(order, shop, 1))
                .containsExactly("line mug-1: quantity 2 at Klarna (amount 5000), 3 in the shop");
    }

    @Test
    void aProductOnlyKlarnaHasIsStillAMismatchAndATotalOffByMoreThanTheToleranceToo() {
        KlarnaShopOrder noLines = KlarnaShopOrder.of("1001", "USD", 5472)
                .withLines(List.of(new KlarnaShopOrder.Line("plate-1", 1)));

        assertThat(OrderComparison.differences(order, noLines, 1)).containsExactly(
                "total is 5470 at Klarna, 5472 in the shop",
                "line plate-1: quantity 0 at Klarna (amount 0), 1 in the shop",
                "line mug-1 is at Klarna only (quantity 2, amount 5000)");
    }
}
