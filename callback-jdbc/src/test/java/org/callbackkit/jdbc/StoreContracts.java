package org.callbackkit.jdbc;

import java.time.Duration;
import org.callbackkit.avarda.testing.AvardaDeliveryTarget;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.EcsterDeliveryTarget;
import org.callbackkit.klarna.testing.KlarnaDeliveryTarget;
import org.callbackkit.test.CallbackJournalContract;
import org.callbackkit.test.DelayedActionSchedulerContract;
import org.callbackkit.test.IdempotencyStoreContract;
import org.callbackkit.test.ProviderDeliveryContract;
import org.callbackkit.test.StateStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * callback-test's scheduler, journal, idempotency and state contracts, and every provider's delivery
 * contract on the state store, run against a
 * {@link JdbcCallbackStore} on the database a subclass gives: a fresh, empty store for every
 * test, in manual mode ({@code threads(0)}) so that the contract's {@code runDue} drives
 * db-scheduler on the test's thread with the contract's clock.
 */
abstract class StoreContracts {

    /** A builder for a store in an empty database (or one {@link #emptied} empties). */
    abstract JdbcCallbackStore.Builder storeBuilder();

    /** Empties the store's tables, before it starts; nothing to do where every test has a new database. */
    void emptied(JdbcCallbackStore store) {
    }

    private JdbcCallbackStore newStore(MutableClock clock, RetrySchedule retries, Duration overdueAfter) {
        JdbcCallbackStore store = storeBuilder().clock(clock).defaultRetries(retries).overdueAfter(overdueAfter)
                .threads(0).build();
        emptied(store);
        store.start();
        return store;
    }

    @Nested
    class Scheduler extends DelayedActionSchedulerContract {
        private JdbcCallbackStore store;

        @Override
        protected DelayedActionScheduler createScheduler(MutableClock clock, RetrySchedule defaultRetries,
                Duration overdueAfter) {
            store = newStore(clock, defaultRetries, overdueAfter);
            return store.scheduler();
        }

        @Override
        protected void runDue(DelayedActionScheduler scheduler) {
            store.runDue();
        }

        @AfterEach
        void closeStore() {
            store.close();
        }
    }

    @Nested
    class Journal extends CallbackJournalContract {
        private JdbcCallbackStore store;

        @Override
        protected CallbackJournal createJournal() {
            store = newStore(MutableClock.atFixedStart(), RetrySchedule.none(), Duration.ZERO);
            return store.journal();
        }

        @AfterEach
        void closeStore() {
            store.close();
        }
    }

    @Nested
    class Idempotency extends IdempotencyStoreContract {
        private JdbcCallbackStore store;

        @Override
        protected IdempotencyStore createStore() {
            store = newStore(MutableClock.atFixedStart(), RetrySchedule.none(), Duration.ZERO);
            return store.idempotencyStore();
        }

        @AfterEach
        void closeStore() {
            store.close();
        }
    }

    @Nested
    class State extends StateStoreContract {
        private JdbcCallbackStore store;

        @Override
        protected StateStore createStore() {
            store = newStore(MutableClock.atFixedStart(), RetrySchedule.none(), Duration.ZERO);
            return store.stateStore();
        }

        @AfterEach
        void closeStore() {
            store.close();
        }
    }

    /** The delivery contract's state store is this store's; the module runs on the contract's manual scheduler. */
    abstract class Delivery extends ProviderDeliveryContract {
        private JdbcCallbackStore store;

        @Override
        protected StateStore stateStore() {
            store = newStore(MutableClock.atFixedStart(), RetrySchedule.none(), Duration.ZERO);
            return store.stateStore();
        }

        @AfterEach
        void closeStore() {
            store.close();
        }
    }

    @Nested
    class KlarnaDelivery extends Delivery {
        @Override
        protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
            return new KlarnaDeliveryTarget(store, scheduler);
        }
    }

    @Nested
    class EcsterDelivery extends Delivery {
        @Override
        protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
            return new EcsterDeliveryTarget(store, scheduler);
        }
    }

    @Nested
    class AvardaDelivery extends Delivery {
        @Override
        protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
            return new AvardaDeliveryTarget(store, scheduler);
        }
    }
}
