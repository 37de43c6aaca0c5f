package org.callbackkit.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.FakeProviderServer;
import org.callbackkit.core.testing.FakeResponse;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.examples.acme.AcmeCallbacks.AcmeOrder;
import org.callbackkit.test.ProviderDeliveryContract;
import org.junit.jupiter.api.Test;

/** The smallest complete provider of docs/reconciliation-engine.md passes the same delivery contract as ours. */
class AcmeDeliveryTest extends ProviderDeliveryContract {

    @Override
    protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
        return new AcmeTarget(store, scheduler);
    }

    @Test
    void theModuleReadsAcmesApiOverHttp() throws InterruptedException {
        try (FakeProviderServer acme = FakeProviderServer.builder("acme")
                .route("GET /orders/{id}", request -> FakeResponse.json(200,
                        "{\"id\":\"" + request.pathVariable("id") + "\",\"status\":\"PAID\"}"))
                .build()) {
            AtomicInteger paid = new AtomicInteger();
            AcmeCallbacks module = AcmeCallbacks.builder().environment(acme.start()).credentials("test-api-key")
                    .shop(new AcmeCallbacks.AcmeShop() {
                        @Override
                        public Optional<String> findOrder(String acmeOrderId) {
                            return Optional.of("shop-" + acmeOrderId);
                        }

                        @Override
                        public void paid(String acmeOrderId, String shopOrder, Source source) {
                            paid.incrementAndGet();
                        }
                    })
                    .scheduler(new ManualDelayedActionScheduler(MutableClock.atFixedStart())).build();

            assertThat(module.confirmOrder("a1").outcome()).isEqualTo(Settlement.Outcome.SETTLED);
            assertThat(paid).hasValue(1);
            assertThat(acme.takeRequest(Duration.ofSeconds(5)).header("X-Api-Key")).isEqualTo("test-api-key");
        }
    }

    /** Acme's module with its API scripted in process. */
    private static final class AcmeTarget extends DeliveryTarget implements AcmeCallbacks.AcmeShop {
        private final Map<String, String> statuses = new ConcurrentHashMap<>();
        private final AtomicInteger failures = new AtomicInteger();
        private final ManualDelayedActionScheduler scheduler;
        private final AcmeCallbacks module;

        AcmeTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
            this.scheduler = scheduler;
            this.module = AcmeCallbacks.builder().api(this::order).shop(this).scheduler(scheduler)
                    .clock(scheduler.clock()).stateStore(store).build();
            mount(module.endpoints(), scheduler.clock());
        }

        private AcmeOrder order(String id) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ProviderApiException("Acme GET /orders/" + id + " answered 503", "acme", id, 503, null, null,
                        true, null);
            }
            return new AcmeOrder(id, statuses.getOrDefault(id, "UNKNOWN"));
        }

        @Override
        public CallbackRequest paidCallback(String orderId) {
            return CallbackRequests.postJson("/acme/notification", "{\"orderId\":\"" + orderId + "\"}")
                    .receivedAt(scheduler.clock().instant()).build();
        }

        @Override
        public void providerHasPaid(String orderId) {
            statuses.put(orderId, "PAID");
        }

        @Override
        public void providerHasCancelled(String orderId) {
            statuses.put(orderId, "CANCELLED");
        }

        @Override
        public void providerFailsNext(int status) {
            failures.incrementAndGet();
        }

        @Override
        public Settlement confirm(String orderId) {
            return module.confirmOrder(orderId);
        }

        @Override
        public Optional<String> findOrder(String acmeOrderId) {
            return shopHas(acmeOrderId) ? Optional.of("shop-" + acmeOrderId) : Optional.empty();
        }

        @Override
        public void paid(String acmeOrderId, String shopOrder, Source source) {
            toldPaid(acmeOrderId);
        }
    }
}
