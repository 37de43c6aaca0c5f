package org.callbackkit.blockonomics;

import java.util.Optional;

/** The host's orders, as the module asks about them. Called concurrently. */
@FunctionalInterface
public interface BlockonomicsOrders {

    /**
     * The order a callback pays: for BTC and BCH look it up by {@link BlockonomicsCallback#address()}
     * (one address per order), for USDT by {@link BlockonomicsCallback#txid()}.
     *
     * @return the order and the amount it expects, or empty when the shop knows no such order
     *     (the callback is then answered 404 so that Blockonomics retries and shows it red)
     */
    Optional<ExpectedPayment> find(BlockonomicsCallback callback);
}
