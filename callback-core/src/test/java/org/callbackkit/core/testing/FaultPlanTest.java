package org.callbackkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void drawsEachKindInItsFractionAndTheRestAnsweredNormally() {
        FaultPlan plan = new FaultPlan(0.10, 0.05, 0.02);
        Random random = new Random(42);
        Map<Fault, Integer> drawn = new EnumMap<>(Fault.class);
        for (int i = 0; i < 100_000; i++) {
            drawn.merge(plan.draw(random), 1, Integer::sum);
        }

        assertThat(drawn.get(Fault.SERVER_ERROR)).isBetween(9_500, 10_500);
        assertThat(drawn.get(Fault.STALL)).isBetween(4_600, 5_400);
        assertThat(drawn.get(Fault.DISCONNECT)).isBetween(1_700, 2_300);
        assertThat(drawn.get(Fault.NONE)).isBetween(82_000, 84_000);
        assertThat(plan.rate()).isEqualTo(0.17, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theSameSeedDrawsTheSameFaults() {
        FaultPlan plan = FaultPlan.evenly(0.5);
        Random first = new Random(7);
        Random second = new Random(7);

        assertThat(IntStream.range(0, 1000).mapToObj(i -> plan.draw(first)))
                .containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(i -> plan.draw(second)).toList());
    }

    @Test
    void noneNeverFailsAndEveryServerErrorIsA5xx() {
        Random random = new Random(1);
        assertThat(IntStream.range(0, 1000).mapToObj(i -> FaultPlan.NONE.draw(random))).containsOnly(Fault.NONE);
        assertThat(IntStream.range(0, 1000).map(i -> FaultPlan.serverErrorStatus(random)).boxed())
                .containsOnly(500, 502, 503, 504);
        for (Fault fault : Fault.values()) {
            assertThat(IntStream.range(0, 100).mapToObj(i -> FaultPlan.always(fault).draw(random))).containsOnly(fault);
        }
    }

    @Test
    void refusesFractionsOutsideZeroToOneOrAddingUpToMore() {
        assertThatThrownBy(() -> new FaultPlan(-0.1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serverErrors");
        assertThatThrownBy(() -> new FaultPlan(0, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stalls");
        assertThatThrownBy(() -> new FaultPlan(0, 0, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("disconnects");
        assertThatThrownBy(() -> new FaultPlan(0.5, 0.5, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> FaultPlan.evenly(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
