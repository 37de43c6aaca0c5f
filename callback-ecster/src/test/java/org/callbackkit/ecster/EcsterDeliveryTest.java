package org.callbackkit.ecster;

import org.callbackkit.core.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.ecster.testing.EcsterDeliveryTarget;
import org.callbackkit.test.ProviderDeliveryContract;

/** The delivery contract on the in-memory state store; callback-jdbc runs it on H2 and PostgreSQL. */
class EcsterDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new EcsterDeliveryTarget(store, scheduler);
    }
}
