package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.Decision.Kind;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ecster's pure decision as a table: Ecster's status and whether the shop has the order. */
class EcsterFlowTest {

    @ParameterizedTest(name = "{0}, shop order {1}: {2} {3}")
    @CsvSource({
        // status,            shop order, kind,    told
        "READY,               yes,        SETTLE,  PAID",
        "FULLY_DELIVERED,     yes,        SETTLE,  PAID",
        "DENIED,              yes,        TELL,    CANCELLED",
        "ANNULED,             yes,        TELL,    CANCELLED",
        "FAILED,              yes,        TELL,    FAILED",
        "PARTIALLY_DELIVERED, yes,        TELL,    PARTIALLY_DELIVERED",
        "PENDING_SIGNATURE,   yes,        TELL,    PENDING",
        "AWAITING_CONTRACT,   yes,        TELL,    PENDING",
        "BLOCKED,             yes,        TELL,    UNKNOWN",
        "READY,               no,         WAIT,    -",
        "PENDING_PAYMENT,     no,         WAIT,    -",
        "DENIED,              no,         NOTHING, -",
        "FAILED,              no,         NOTHING, -",
    })
    void decides(String status, String shopOrder, Kind kind, String told) {
        EcsterOrder order = EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status(status).build();
        Optional<EcsterShopOrder> shop = shopOrder.equals("yes") ? Optional.of(new EcsterShopOrder("1001", false))
                : Optional.empty();

        Decision<EcsterOrderState> decision = EcsterFlow.decide(order, shop);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.event().map(Enum::name).orElse("-")).isEqualTo(told);
        assertThat(decision.detail()).contains(status);
        if (kind == Kind.TELL) {
            assertThat(decision.fact()).as("one fact per status, so each is told once").isEqualTo("status:" + status);
        }
    }
}
