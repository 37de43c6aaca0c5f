package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callbackkit.avarda.testing.AvardaDeliveryTarget;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.ProviderDeliveryContract;
import org.junit.jupiter.api.Test;

/** The delivery contract on the in-memory state store; callback-jdbc runs it on SQLite and PostgreSQL. */
class AvardaDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new AvardaDeliveryTarget(store, scheduler);
    }

    @Test
    void theDescriptionIsWhatTheModuleMounts() {
        CallbackEndpoint mounted = new AvardaDeliveryTarget(stateStore(),
                new ManualDelayedActionScheduler(MutableClock.atFixedStart())).router().endpoints().get(0);
        CallbackEndpoint described = AvardaCallbacks.describeEndpoints().get(0);

        assertThat(described).usingRecursiveComparison().ignoringFields("handler").isEqualTo(mounted);
        assertThatThrownBy(() -> described.handler().handle(null)).isInstanceOf(IllegalStateException.class);
    }
}
