package org.callbackkit.ecster;

import java.util.Objects;

/**
 * Who bought, as Ecster's order reports the consumer: enough to create a shop order when the
 * shopper never came back. Each value is empty when Ecster did not send it. Personal data:
 * {@link #toString()} shows none of it.
 *
 * @param firstName the first name
 * @param lastName the last name
 * @param email the e-mail address
 * @param cellular the mobile number
 * @param addressLine1 the street address
 * @param zip the postal code
 * @param city the city
 * @param country the ISO 3166-1 alpha-2 country, e.g. {@code SE}
 */
public record EcsterBuyer(String firstName, String lastName, String email, String cellular, String addressLine1,
        String zip, String city, String country) {

    /** @throws NullPointerException if a value is null (use "" for absent) */
    public EcsterBuyer {
        Objects.requireNonNull(firstName, "firstName");
        Objects.requireNonNull(lastName, "lastName");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(cellular, "cellular");
        Objects.requireNonNull(addressLine1, "addressLine1");
        Objects.requireNonNull(zip, "zip");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(country, "country");
    }

    /** No personal data. */
    @Override
    public String toString() {
        return "EcsterBuyer[***]";
    }
}
