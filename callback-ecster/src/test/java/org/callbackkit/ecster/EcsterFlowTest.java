package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.Decision.Kind;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ecster's pure decision as a table: Ecster's status, whether the shop has the order, and whether it is paid already. */
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
        Optional<EcsterShopOrder> shop = shopOrder.equals("yes") ? Optional.of(new EcsterShopOrder("1001", 0, "SEK", false))
                : Optional.empty();

        Decision<EcsterOrderState> decision = EcsterFlow.decide(order, shop, false, 1);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.event().map(Enum::name).orElse("-")).isEqualTo(told);
        assertThat(decision.detail()).contains(status);
        if (kind == Kind.TELL) {
            assertThat(decision.fact()).as("one fact per status, so each is told once").isEqualTo("status:" + status);
        }
    }

    @ParameterizedTest(name = "Ecster {0} {1}, shop {2} {3}: {4}")
    @CsvSource({
        // Ecster amount, currency, shop amount, currency, kind
        "9900,            SEK,      9900,        SEK,      SETTLE",
        "9901,            SEK,      9900,        SEK,      SETTLE",
        "9899,            SEK,      9900,        SEK,      SETTLE",
        "9902,            SEK,      9900,        SEK,      GIVE_UP",
        "12900,           SEK,      9900,        SEK,      GIVE_UP",
        "9900,            EUR,      9900,        SEK,      GIVE_UP",
        "9900,            sek,      9900,        SEK,      SETTLE",
    })
    void aPaidOrderWhoseAmountOrCurrencyDiffersIsHeldNotPaid(long amount, String currency, long shopAmount,
            String shopCurrency, Kind kind) {
        EcsterOrder order = EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status("READY").currency(currency)
                .amount(amount).build();

        Decision<EcsterOrderState> decision = EcsterFlow.decide(order,
                Optional.of(new EcsterShopOrder("1001", shopAmount, shopCurrency, false)), false, 1);

        assertThat(decision.kind()).isEqualTo(kind);
        if (kind == Kind.GIVE_UP) {
            assertThat(decision.event()).contains(EcsterOrderState.ON_HOLD);
            assertThat(decision.fact()).as("held once").isEqualTo("on-hold");
            assertThat(decision.detail()).contains("on hold").contains(amount == shopAmount ? currency : "amount " + amount);
        }
    }

    @ParameterizedTest(name = "{0} after paid: {1}")
    @CsvSource({
        "PARTIALLY_DELIVERED, TELL",
        "FULLY_DELIVERED,     NOTHING",
        "READY,               NOTHING",
        "ANNULED,             NOTHING",
        "FAILED,              NOTHING",
        "PENDING_PAYMENT,     NOTHING",
    })
    void aPaidOrderHearsOnlyOfPartialDelivery(String status, Kind kind) {
        EcsterOrder order = EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status(status).build();

        Decision<EcsterOrderState> decision = EcsterFlow.decide(order,
                Optional.of(new EcsterShopOrder("1001", 0, "SEK", true)), true, 1);

        assertThat(decision.kind()).isEqualTo(kind);
        if (kind == Kind.TELL) {
            assertThat(decision.event()).contains(EcsterOrderState.PARTIALLY_DELIVERED);
            assertThat(decision.fact()).isEqualTo("status:PARTIALLY_DELIVERED");
        }
    }

    @ParameterizedTest(name = "Ecster has reference {0}: follow-ups {1}")
    @CsvSource(value = {"-, orderReference", "1001, -", "999, orderReference"})
    void aPaidOrderGetsTheShopsReferenceUnlessEcsterHasIt(String ecsterReference, String followUps) {
        EcsterOrderBuilder builder = EcsterOrderBuilder.order("eYBtAD0wTZIzDWkVpGhe").status("READY");
        if (!ecsterReference.equals("-")) {
            builder.orderReference(ecsterReference);
        }

        Decision<EcsterOrderState> decision = EcsterFlow.decide(builder.build(),
                Optional.of(new EcsterShopOrder("1001", 0, "SEK", false)), false, 1);

        assertThat(String.join(",", decision.followUps().keySet())).isEqualTo(followUps.equals("-") ? "" : followUps);
        decision.followUps().values().forEach(reference -> assertThat(reference).isEqualTo("1001"));
    }
}
