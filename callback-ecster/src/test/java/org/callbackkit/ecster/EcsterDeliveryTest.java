package org.callbackkit.ecster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterDeliveryTarget;
import org.callbackkit.test.ProviderDeliveryContract;
import org.junit.jupiter.api.Test;

/** The delivery contract on the in-memory state store; callback-jdbc runs it on SQLite and PostgreSQL. */
class EcsterDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new EcsterDeliveryTarget(store, scheduler);
    }

    @Test
    void theDescriptionIsWhatTheModuleMounts() {
        CallbackEndpoint mounted = new EcsterDeliveryTarget(stateStore(),
                new ManualDelayedActionScheduler(MutableClock.atFixedStart())).router().endpoints().get(0);
        CallbackEndpoint described = EcsterCallbacks.describeEndpoints().get(0);

        assertThat(described).usingRecursiveComparison().ignoringFields("handler").isEqualTo(mounted);
        assertThatThrownBy(() -> described.handler().handle(null)).isInstanceOf(IllegalStateException.class);
    }
}
