package org.callbackkit.blockonomics;

import java.math.BigDecimal;

/**
 * The payment rules as a pure function of the order's payments and one callback: no I/O, no
 * clock, so that random sequences of callbacks can be checked against its invariants.
 */
final class PaymentRules {

    private final int confirmationsRequired;
    private final BigDecimal underpaymentSlackPercent;

    PaymentRules(int confirmationsRequired, BigDecimal underpaymentSlackPercent) {
        this.confirmationsRequired = confirmationsRequired;
        this.underpaymentSlackPercent = underpaymentSlackPercent;
    }

    /** The outcome of one callback: the payments to store, the event (null: nothing new), a note. */
    record Decision(OrderPayments payments, PaymentEvent event, String detail) {
        boolean duplicate() {
            return event == null;
        }
    }

    Decision apply(OrderPayments before, BlockonomicsCallback callback, ExpectedPayment expected) {
        TransactionKey key = callback.transactionKey();
        RecordedTransaction previous = before.transaction(key).orElse(null);
        if (previous != null && previous.reverted()) {
            return unchanged(before, "transaction was reverted earlier; callback ignored");
        }
        boolean reversal = callback.status() == -1 && callback.crypto() == Crypto.USDT;
        boolean revertsACountedPayment = reversal && previous != null && previous.counted();
        if (before.state().settled() && !revertsACountedPayment) {
            return unchanged(before, "already paid; callback ignored");
        }
        if (callback.crypto() != expected.crypto()) {
            return ignored(before, callback, expected, "paid in " + callback.crypto() + " but the order expects "
                    + expected.crypto() + "; not counted");
        }
        int status = callback.status();
        if (reversal) {
            RecordedTransaction reverted = new RecordedTransaction(key, callback.value(), status, false, true);
            if (before.state().settled()) { // never silently un-paid: a person decides
                OrderPayments after = before.with(reverted, PaymentState.REVERSED_AFTER_PAID);
                String why = "USDT payment " + callback.txid() + " of a paid order was reverted; "
                        + describe(after.paidAmount(), expected) + " still count. Check whether the goods shipped";
                return new Decision(after, event(PaymentEvent.Kind.REVERSED_AFTER_PAID, after, callback, expected,
                        Math.max(0, expected.amount() - after.paidAmount()), why), "paid order's payment reverted");
            }
            OrderPayments after = before.with(reverted, stateWith(before, reverted, expected));
            return new Decision(after, event(PaymentEvent.Kind.REVERTED, after, callback, expected, 0,
                    "USDT payment " + callback.txid() + " was reverted; it does not count"), "payment reverted");
        }
        if (status < 0 || status > 2) {
            return ignored(before, callback, expected, "unknown status " + status + "; never treated as paid");
        }
        if (callback.rbf() && status == 0) {
            return ignored(before, callback, expected,
                    "unconfirmed replace-by-fee payment " + callback.txid() + " ignored as unsafe until confirmed");
        }
        if (previous != null && status <= previous.status()) {
            return unchanged(before, "status " + status + " of " + callback.txid() + " already seen (at "
                    + previous.status() + ")");
        }
        boolean counted = status >= confirmationsRequired;
        RecordedTransaction recorded = new RecordedTransaction(key, callback.value(), status, counted, false);
        PaymentState state = stateWith(before, recorded, expected);
        OrderPayments after = before.with(recorded, state);
        if (!counted) {
            return new Decision(after, event(PaymentEvent.Kind.DETECTED, after, callback, expected, 0,
                    "payment detected, awaiting confirmations (" + status + " of " + confirmationsRequired + ")"),
                    "payment detected");
        }
        long paid = after.paidAmount();
        return switch (state) {
            case PAID -> new Decision(after, event(PaymentEvent.Kind.PAID, after, callback, expected,
                    expected.amount() - paid, "paid " + describe(paid, expected)), "order paid");
            case OVERPAID -> new Decision(after, event(PaymentEvent.Kind.OVERPAID, after, callback, expected,
                    paid - expected.amount(), "overpaid " + describe(paid, expected)), "order overpaid");
            default -> new Decision(after, event(PaymentEvent.Kind.UNDERPAID, after, callback, expected,
                    expected.amount() - paid, "underpaid " + describe(paid, expected)), "order underpaid");
        };
    }

    /** Where the order's payment stands once {@code recorded} replaces (or joins) its record in {@code before}. */
    private PaymentState stateWith(OrderPayments before, RecordedTransaction recorded, ExpectedPayment expected) {
        long paid = 0;
        boolean anyCounted = false;
        boolean anySeen = false;
        for (RecordedTransaction transaction : before.transactions().values()) {
            if (!transaction.key().equals(recorded.key())) {
                paid = Math.addExact(paid, transaction.counted() ? transaction.value() : 0);
                anyCounted |= transaction.counted();
                anySeen |= !transaction.reverted();
            }
        }
        paid = Math.addExact(paid, recorded.counted() ? recorded.value() : 0);
        anyCounted |= recorded.counted();
        anySeen |= !recorded.reverted();
        if (!anyCounted) {
            return anySeen ? PaymentState.AWAITING_CONFIRMATIONS : PaymentState.OPEN;
        }
        if (paid > expected.amount()) {
            return PaymentState.OVERPAID;
        }
        if (underpaymentSlackPercent.signum() == 0) {
            return paid == expected.amount() ? PaymentState.PAID : PaymentState.UNDERPAID;
        }
        // paid >= expected * (100 - slack) / 100, exactly
        BigDecimal least = BigDecimal.valueOf(expected.amount())
                .multiply(BigDecimal.valueOf(100).subtract(underpaymentSlackPercent));
        return BigDecimal.valueOf(paid).multiply(BigDecimal.valueOf(100)).compareTo(least) >= 0
                ? PaymentState.PAID
                : PaymentState.UNDERPAID;
    }

    private static String describe(long paid, ExpectedPayment expected) {
        Crypto crypto = expected.crypto();
        return crypto.format(paid) + " " + crypto + " of " + crypto.format(expected.amount()) + " " + crypto
                + " expected";
    }

    private static Decision unchanged(OrderPayments payments, String detail) {
        return new Decision(payments, null, detail);
    }

    private static Decision ignored(OrderPayments payments, BlockonomicsCallback callback, ExpectedPayment expected,
            String why) {
        OrderPayments.IgnoredCallback seen = new OrderPayments.IgnoredCallback(callback.transactionKey(), callback.status());
        if (payments.ignored().contains(seen)) {
            return unchanged(payments, "already ignored: " + why);
        }
        OrderPayments after = payments.withIgnored(seen);
        return new Decision(after, event(PaymentEvent.Kind.IGNORED, after, callback, expected, 0, why), why);
    }

    private static PaymentEvent event(PaymentEvent.Kind kind, OrderPayments payments, BlockonomicsCallback callback,
            ExpectedPayment expected, long difference, String description) {
        return new PaymentEvent(kind, payments.orderId(), callback, expected.amount(), payments.paidAmount(),
                difference, description);
    }
}
