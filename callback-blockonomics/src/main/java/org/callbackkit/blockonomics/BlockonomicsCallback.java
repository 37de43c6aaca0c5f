package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * One payment callback as Blockonomics sent it, parsed strictly.
 *
 * @param crypto the currency ({@code crypto} parameter; when absent BTC, or BCH for a BCH order,
 *     since Blockonomics' BCH server may leave it out)
 * @param status 0 unconfirmed, 1 partially confirmed, 2 confirmed; USDT -1 reverted; others unknown
 * @param address the receiving address ({@code addr})
 * @param value the amount in base units (satoshi, or 10^-6 USDT); never negative
 * @param txid the transaction id
 * @param rbf whether the transaction signals replace-by-fee
 * @param testnet whether it is a test-network payment ({@code testnet=1})
 */
public record BlockonomicsCallback(Crypto crypto, int status, String address, long value, String txid, boolean rbf,
        boolean testnet) {

    /** The txid of the test payments the Blockonomics dashboard generates. */
    public static final String TEST_TXID = "WarningThisIsAGeneratedTestPaymentAndNotARealBitcoinTransaction";

    /** @throws IllegalArgumentException if the value is negative */
    public BlockonomicsCallback {
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(txid, "txid");
        if (value < 0) {
            throw new IllegalArgumentException("value must not be negative: " + value);
        }
    }

    /**
     * Whether this is a test, never a real payment: the dashboard's generated test payment, a
     * store plugin's test-mode payment ({@code 1TestBTCAddress...}, {@code 0xTestUSDTAddress...},
     * {@code TestUSDTTxid_...}), or a test-network payment ({@code testnet=1}).
     */
    public boolean isTest() {
        return testnet
                || txid.startsWith("WarningThisIsAGenerated")
                || txid.startsWith("TestUSDTTxid_")
                || address.startsWith("0xTestUSDTAddress")
                || address.startsWith("1TestBTCAddress");
    }

    /** The same callback in another currency (a BCH callback that did not name its currency). */
    public BlockonomicsCallback withCrypto(Crypto crypto) {
        return new BlockonomicsCallback(crypto, status, address, value, txid, rbf, testnet);
    }

    /** What identifies one payment: a transaction can pay several addresses. */
    public TransactionKey transactionKey() {
        return new TransactionKey(crypto, txid, address);
    }
}
