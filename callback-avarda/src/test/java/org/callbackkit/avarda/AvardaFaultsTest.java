package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.test.ProviderApiFaultsContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fake's random faults as the real HTTP client sees them: each a typed, retryable exception,
 * for the token request as for the payment read.
 */
class AvardaFaultsTest extends ProviderApiFaultsContract {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAvardaApi fake = new FakeAvardaApi().clock(clock);
    /** One client per read timeout, as a shop has one: its token is asked for once. */
    private final Map<Duration, AvardaHttpApi> clients = new HashMap<>();

    AvardaFaultsTest() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step("Completed").totalPrice("123.45").build());
    }

    private AvardaHttpApi client(Duration readTimeout) {
        return clients.computeIfAbsent(readTimeout, timeout -> new AvardaHttpApi(
                new ProviderHttp("avarda", fake.serve(), Duration.ofSeconds(2), timeout), fake.credentials(), clock));
    }

    @Override
    protected FakeProviderApi<?> fake() {
        return fake;
    }

    @Override
    protected String orderKey() {
        return PURCHASE;
    }

    @Override
    protected String readOverHttp(Duration readTimeout) {
        return client(readTimeout).getPayment(PURCHASE).purchaseId();
    }

    @Override
    protected String readInProcess() {
        return fake.getPayment(PURCHASE).purchaseId();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachFaultOfATokenRequestReachesTheHttpClientAsARetryableProviderApiException(Fault fault) {
        fake.faults(FaultPlan.always(fault), new Random(1));

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> client(readTimeoutFor(fault)).getPayment(PURCHASE));

        assertIsThe(fault, e, true);
        assertThat(e.getMessage()).contains("/api/partner/tokens");
        assertThat(fake.calls()).as("no payment read without a token").isEmpty();
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(fault, 1));
    }
}
