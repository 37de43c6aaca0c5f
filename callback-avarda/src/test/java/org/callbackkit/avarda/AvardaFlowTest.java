package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Optional;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.Decision.Kind;
import org.callbackkit.core.reconcile.OrderState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Avarda's pure decision as a table: the purchase's step, total and currency, and the shop's order. */
class AvardaFlowTest {

    private final AvardaFlow flow = new AvardaFlow(null, null, AvardaCallbacks.DEFAULT_AMOUNT_TOLERANCE);

    @ParameterizedTest(name = "{0} {1} {2}, shop order {3}: {4} {5}")
    @CsvSource({
        // step,           total,  currency, shop order, kind,    told
        "Completed,        123.45, SEK,      yes,        SETTLE,  PAID",
        "Completed,        123.42, SEK,      yes,        SETTLE,  PAID",
        "Completed,        123.48, SEK,      yes,        SETTLE,  PAID",
        "Completed,        123.41, SEK,      yes,        GIVE_UP, ON_HOLD",
        "Completed,        123.45, EUR,      yes,        GIVE_UP, ON_HOLD",
        "Completed,        123.45, SEK,      no,         WAIT,    -",
        "WaitingForSwish,  123.45, SEK,      yes,        WAIT,    -",
        "WaitingForBankId, 123.45, SEK,      yes,        WAIT,    -",
        "TimedOut,         123.45, SEK,      yes,        GIVE_UP, -",
        "SomethingNew,     123.45, SEK,      yes,        WAIT,    -",
    })
    void decides(String step, String total, String currency, String shopOrder, Kind kind, String told) {
        AvardaPayment payment = AvardaPaymentBuilder.payment("p1").step(step).totalPrice(total).currency(currency).build();
        Optional<AvardaShopOrder> shop = shopOrder.equals("yes")
                ? Optional.of(new AvardaShopOrder("1001", new BigDecimal("123.45"), "SEK", false))
                : Optional.empty();

        Decision<AvardaFlow.Change> decision = flow.decide(payment, shop, OrderState.NEW);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.event().map(change -> change.kind().name()).orElse("-")).isEqualTo(told);
        assertThat(decision.detail()).isNotBlank();
    }
}
