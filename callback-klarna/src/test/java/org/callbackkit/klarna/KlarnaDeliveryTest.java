package org.callbackkit.klarna;

import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.klarna.testing.KlarnaDeliveryTarget;
import org.callbackkit.test.ProviderDeliveryContract;

/** The delivery contract on the in-memory state store; callback-jdbc runs it on SQLite and PostgreSQL. */
class KlarnaDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new KlarnaDeliveryTarget(store, scheduler);
    }
}
