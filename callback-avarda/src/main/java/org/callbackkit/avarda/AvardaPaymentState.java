package org.callbackkit.avarda;

import java.util.Set;

/**
 * What the step of an Avarda purchase ({@code b2C.step.current} or {@code b2B.step.current})
 * means for the shop. The steps are those Avarda's own Magento module lists; any other is
 * {@link #UNKNOWN}, never paid.
 */
public enum AvardaPaymentState {
    /** {@code Completed}: the purchase is done; the shop checks totals and marks it paid. */
    COMPLETED,
    /** The shopper is still in the checkout, or Avarda waits for Swish, BankID, a bank, card 3-D Secure or a credit decision. */
    PENDING,
    /** {@code TimedOut} or {@code Outdated}: the purchase will not complete. */
    EXPIRED,
    /** Any other step ({@code HandledByMerchant}, {@code Unknown}, a new one): kept as data, not paid. */
    UNKNOWN;

    private static final Set<String> PENDING_STEPS = Set.of("Initialized", "EmailZipEntry", "SsnEntry",
            "PhoneNumberEntry", "PhoneNumberEntryForKnownCustomer", "PersonalInfo", "PersonalInfoWithoutSsn",
            "WaitingForSwish", "RedirectedToDirectPaymentBank", "RedirectedToNets", "WaitingForBankId",
            "RedirectedToTupas", "AwaitingCreditApproval");

    /** The state a step means; {@link #UNKNOWN} for null or anything not listed. */
    public static AvardaPaymentState of(String step) {
        if ("Completed".equals(step)) {
            return COMPLETED;
        }
        if ("TimedOut".equals(step) || "Outdated".equals(step)) {
            return EXPIRED;
        }
        return step != null && PENDING_STEPS.contains(step) ? PENDING : UNKNOWN;
    }
}
