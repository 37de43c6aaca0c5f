package org.callbackkit.avarda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fake's random faults as the real HTTP client sees them: each a typed, retryable {@link ProviderApiException}. */
class AvardaFaultsTest {

    private static final String PURCHASE = "489ea341e23941089e6d0378c708512a";

    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeAvardaApi fake = new FakeAvardaApi().clock(clock);
    private final URI base = fake.serve();

    AvardaFaultsTest() {
        fake.putPayment(AvardaPaymentBuilder.payment(PURCHASE).step("Completed").totalPrice("123.45").build());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** A stall lasts as long as the client's read timeout: short here, long enough otherwise for a cold JVM. */
    private AvardaHttpApi client(Duration readTimeout) {
        return new AvardaHttpApi(new ProviderHttp("avarda", base, Duration.ofSeconds(2), readTimeout), fake.credentials(), clock);
    }

    private static Duration readTimeoutFor(Fault fault) {
        return fault == Fault.STALL ? Duration.ofMillis(200) : Duration.ofSeconds(5);
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

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachFaultOfAPaymentReadReachesTheHttpClientAsARetryableProviderApiException(Fault fault) {
        AvardaHttpApi client = client(readTimeoutFor(fault));
        client.getPayment(PURCHASE); // the token, before the faults
        fake.faults(FaultPlan.always(fault), new Random(1));

        long started = System.nanoTime();
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> client.getPayment(PURCHASE));

        assertIsThe(fault, e, true);
        assertThat(e.orderKey()).isEqualTo(PURCHASE);
        assertThat(e.getMessage()).contains("/api/partner/payments/");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(fake.faultsInjected().keySet()).containsExactly(fault);
        assertThat(fake.tokensIssued()).isEqualTo(1);
    }

    private static void assertIsThe(Fault fault, ProviderApiException e, boolean overHttp) {
        assertThat(e).as(fault.name()).isNotNull();
        assertThat(e.retryable()).as(e.getMessage()).isTrue();
        switch (fault) {
            case SERVER_ERROR -> assertThat(e.status()).isIn(500, 502, 503, 504);
            case STALL -> {
                assertThat(e.status()).isZero();
                assertThat(e.getMessage()).contains("timed out");
            }
            case DISCONNECT -> {
                assertThat(e.status()).isZero();
                if (overHttp) {
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                } else {
                    assertThat(e.getMessage()).contains("connection closed without an answer");
                }
            }
            case NONE -> throw new AssertionError("not a fault");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void inProcessEachFaultIsARetryableProviderApiExceptionAtOnce(Fault fault) {
        fake.faults(FaultPlan.always(fault), new Random(1));

        assertIsThe(fault, catchThrowableOfType(ProviderApiException.class, () -> fake.getPayment(PURCHASE)), false);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(fault, 1));
    }

    @Test
    void aMixedPlanFailsEveryFaultyCallRetryablyAndAnswersTheOthers() {
        fake.faults(FaultPlan.evenly(0.5), new Random(20260101));
        AvardaHttpApi client = client(Duration.ofMillis(200));
        int answered = 0;
        int failed = 0;
        for (int i = 0; i < 12; i++) {
            try {
                client.getPayment(PURCHASE);
                answered++;
            } catch (ProviderApiException e) {
                assertThat(e.retryable()).as(e.getMessage()).isTrue();
                failed++;
            }
        }

        assertThat(answered).isPositive();
        assertThat(failed).isPositive();
        assertThat(fake.faultsInjected().values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(failed);
    }

    @Test
    void afterFaultsNoneEveryCallIsAnsweredAgain() {
        fake.faults(FaultPlan.always(Fault.SERVER_ERROR), new Random(1));
        catchThrowableOfType(ProviderApiException.class, () -> fake.getPayment(PURCHASE));

        fake.faults(FaultPlan.NONE, new Random(1));

        assertThat(client(Duration.ofSeconds(5)).getPayment(PURCHASE).purchaseId()).isEqualTo(PURCHASE);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(Fault.SERVER_ERROR, 1));
    }
}
