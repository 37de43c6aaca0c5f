package org.callbackkit.blockonomics;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.test.HostileInputContract;
import org.callbackkit.test.HostileInputTarget;

/**
 * Blockonomics' GET callback against the hostile input kit: it has no body, so the kit's query,
 * header, method, size, slow-body and path cases apply; nothing is scheduled, the ledger and the
 * listener are answered at once, so both are counted.
 */
class BlockonomicsHostileInputTest extends HostileInputContract {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String ADDR = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

    @Override
    protected HostileInputTarget createTarget() {
        AtomicLong calls = new AtomicLong();
        BlockonomicsCallbacks callbacks = BlockonomicsCallbacks.builder()
                .secret(SECRET)
                .ledger(new InMemoryPaymentLedger())
                .shop(new BlockonomicsShop() {
                    @Override
                    public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                        calls.incrementAndGet();
                        return Optional.of(new ExpectedPayment("order-1", Crypto.BTC, 100_000));
                    }

                    @Override
                    public void onPayment(PaymentEvent event) {
                        calls.incrementAndGet();
                    }
                })
                .build();
        CallbackRouter router = CallbackRouter.builder().journal(new InMemoryCallbackJournal())
                .endpoints(callbacks.endpoints()).build();
        return HostileInputTarget.builder(router)
                .sample("payment", new BlockonomicsCallbackRequests(SECRET).confirmed(ADDR, 100_000, "2cb2f8d5b3a6e3c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7"))
                .listenerCalls(calls::get)
                .build();
    }
}
