package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * One payment: a transaction to one address in one currency. A transaction that pays several
 * addresses is several payments; the same transaction reported again is the same payment.
 */
public record TransactionKey(Crypto crypto, String txid, String address) {

    /** @throws NullPointerException if a component is null */
    public TransactionKey {
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(txid, "txid");
        Objects.requireNonNull(address, "address");
    }

    // Written out: the generated one (through method handles) showed in the payment path's profile
    @Override
    public int hashCode() {
        return (crypto.hashCode() * 31 + txid.hashCode()) * 31 + address.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TransactionKey key && crypto == key.crypto && txid.equals(key.txid)
                && address.equals(key.address);
    }
}
