package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * One payment as the ledger keeps it.
 *
 * @param key which transaction, to which address, in which currency
 * @param value the amount in base units
 * @param status the highest status seen (statuses only move forward)
 * @param counted whether it has reached the confirmations threshold and counts toward the order
 * @param reverted whether it was reverted (USDT {@code status=-1}); a reverted payment never counts
 */
public record RecordedTransaction(TransactionKey key, long value, int status, boolean counted, boolean reverted) {

    /** @throws IllegalArgumentException if marked both counted and reverted */
    public RecordedTransaction {
        Objects.requireNonNull(key, "key");
        if (counted && reverted) {
            throw new IllegalArgumentException("a reverted payment never counts");
        }
    }
}
