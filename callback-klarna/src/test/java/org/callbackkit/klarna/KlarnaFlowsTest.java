package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.Decision.Kind;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Klarna's pure decisions as tables: the push's and the fraud notification's. */
class KlarnaFlowsTest {

    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";
    private final KlarnaSettings settings = new KlarnaSettings("klarna", "klarna", "/klarna", null, null, null,
            Clock.systemUTC(), 1);

    @ParameterizedTest(name = "{0} x{1} at {2}, shop {3}, reference {4}: {5} {6}")
    @CsvSource({
        // status,         quantity, unit price, shop order, merchant_reference1, kind,    follow-ups
        "AUTHORIZED,       2,        5000,       unconfirmed, -,                  SETTLE,  acknowledge merchant-references",
        "AUTHORIZED,       2,        5000,       unconfirmed, 1001,               SETTLE,  acknowledge",
        "AUTHORIZED,       2,        5000,       confirmed,   -,                  SETTLE,  acknowledge merchant-references",
        "AUTHORIZED,       2,        5001,       unconfirmed, -,                  GIVE_UP, -",
        "AUTHORIZED,       2,        5002,       unconfirmed, -,                  GIVE_UP, -",
        "AUTHORIZED,       3,        5000,       unconfirmed, -,                  GIVE_UP, -",
        "CANCELLED,        2,        5000,       unconfirmed, -,                  GIVE_UP, -",
        "AUTHORIZED,       2,        5000,       none,        -,                  WAIT,    -",
    })
    void thePush(String status, long quantity, long unitPrice, String shop, String reference, Kind kind,
            String followUps) {
        KlarnaOrderBuilder order = KlarnaOrderBuilder.order(ORDER).status(status).line("sku-1", quantity, unitPrice);
        if (!reference.equals("-")) {
            order.merchantReference1(reference);
        }
        KlarnaShopOrder shopOrder = KlarnaShopOrder.of("1001", "SEK", 10_000)
                .withLines(List.of(new KlarnaShopOrder.Line("sku-1", 2)));
        Optional<KlarnaShopOrder> found = switch (shop) {
            case "none" -> Optional.empty();
            case "confirmed" -> Optional.of(shopOrder.asConfirmed());
            default -> Optional.of(shopOrder);
        };

        Decision<KlarnaPushFlow.Event> decision = new KlarnaPushFlow(settings).decide(order.build(), found, OrderState.NEW);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(String.join(" ", decision.followUps().keySet())).isEqualTo(followUps.equals("-") ? "" : followUps);
        assertThat(decision.event().isPresent()).as("the shop is told unless it confirmed the order itself")
                .isEqualTo(kind != Kind.WAIT && !shop.equals("confirmed"));
    }

    @ParameterizedTest(name = "{0} with fraud status {1}, shop order {2}: {3} {4}")
    @CsvSource({
        // event,               fraud status, shop order, kind, fact
        "FRAUD_RISK_ACCEPTED,   ACCEPTED,     yes,        TELL, fraud status ACCEPTED",
        "FRAUD_RISK_REJECTED,   REJECTED,     yes,        TELL, fraud status REJECTED",
        "FRAUD_RISK_ACCEPTED,   PENDING,      yes,        WAIT, -",
        "FRAUD_RISK_STOPPED,    PENDING,      yes,        TELL, fraud status PENDING",
        "FRAUD_RISK_STOPPED,    ,             yes,        TELL, fraud status not given",
        "FRAUD_RISK_STOPPED,    ACCEPTED,     no,         WAIT, -",
    })
    void theNotification(FraudEvent event, String fraudStatus, String shop, Kind kind, String fact) {
        KlarnaOrder order = KlarnaOrderBuilder.order(ORDER).fraudStatus(fraudStatus).line("sku-1", 1, 100).build();
        Optional<KlarnaShopOrder> found = shop.equals("yes") ? Optional.of(KlarnaShopOrder.of("1001", "SEK", 100))
                : Optional.empty();

        Decision<FraudEvent> decision = new KlarnaNotificationFlow(settings)
                .decide(new KlarnaNotificationFlow.Notified(event, order), found, OrderState.NEW);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.fact() == null ? "-" : decision.fact()).isEqualTo(fact);
    }
}
