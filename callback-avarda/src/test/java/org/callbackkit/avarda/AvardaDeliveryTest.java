package org.callbackkit.avarda;

import org.callbackkit.core.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.avarda.testing.AvardaDeliveryTarget;
import org.callbackkit.test.ProviderDeliveryContract;

/** The delivery contract on the in-memory state store; callback-jdbc runs it on H2 and PostgreSQL. */
class AvardaDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new AvardaDeliveryTarget(store, scheduler);
    }
}
