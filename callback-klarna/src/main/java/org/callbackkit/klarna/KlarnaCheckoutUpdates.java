package org.callbackkit.klarna;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Recomputes the cart while the shopper is in the checkout: shipping costs for the chosen option
 * or address, taxes for a new country. Each method answers with the updated order
 * ({@link KlarnaCheckoutAnswer#update}), unchanged ({@link KlarnaCheckoutAnswer#approve()}), a
 * redirect or a rejection, within the module's deadline. Defaults approve unchanged.
 */
public interface KlarnaCheckoutUpdates {

    /**
     * The shopper picked a shipping option.
     *
     * @param selectedShippingOption the callback's {@code selected_shipping_option}, or a missing node
     */
    default KlarnaCheckoutAnswer shippingOptionUpdate(KlarnaOrder order, JsonNode selectedShippingOption) {
        return KlarnaCheckoutAnswer.approve();
    }

    /** The shopper entered or changed an address. */
    default KlarnaCheckoutAnswer addressUpdate(KlarnaOrder order) {
        return KlarnaCheckoutAnswer.approve();
    }

    /** The shopper changed the purchase country. */
    default KlarnaCheckoutAnswer countryChange(KlarnaOrder order) {
        return KlarnaCheckoutAnswer.approve();
    }
}
