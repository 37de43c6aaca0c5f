package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fake's random faults as the real HTTP client sees them: each a typed, retryable {@link ProviderApiException}. */
class KlarnaFaultsTest {

    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    private final FakeKlarnaOrderManagement fake = new FakeKlarnaOrderManagement();
    private final URI base = fake.serve();

    KlarnaFaultsTest() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 10000).build());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** A stall lasts as long as the client's read timeout: short here, long enough otherwise for a cold JVM. */
    private KlarnaHttpApi client(Duration readTimeout) {
        return new KlarnaHttpApi(new ProviderHttp("klarna", base, Duration.ofSeconds(5), readTimeout), fake.credentials());
    }

    private static Duration readTimeoutFor(Fault fault) {
        return fault == Fault.STALL ? Duration.ofMillis(200) : Duration.ofSeconds(5);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachFaultReachesTheHttpClientAsARetryableProviderApiException(Fault fault) {
        fake.faults(FaultPlan.always(fault), new Random(1));
        KlarnaHttpApi client = client(readTimeoutFor(fault));

        long started = System.nanoTime();
        ProviderApiException read = catchThrowableOfType(ProviderApiException.class, () -> client.getOrder(ORDER));
        ProviderApiException acknowledge = catchThrowableOfType(ProviderApiException.class, () -> client.acknowledge(ORDER));

        assertIsThe(fault, read, true);
        assertIsThe(fault, acknowledge, true);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        if (fault == Fault.SERVER_ERROR) {
            assertThat(fake.acknowledged()).as("a 5xx comes before the call takes effect").isEmpty();
        } else {
            assertThat(fake.acknowledged()).as("the answer was lost, not the call").containsExactly(ORDER);
        }
        // a GET dropped on a reused connection is resent once by the JDK client itself: drawn again
        assertThat(fake.faultsInjected().keySet()).containsExactly(fault);
        assertThat(fake.faultsInjected().get(fault)).isGreaterThanOrEqualTo(2);
    }

    private static void assertIsThe(Fault fault, ProviderApiException e, boolean overHttp) {
        assertThat(e).as(fault.name()).isNotNull();
        assertThat(e.retryable()).as(e.getMessage()).isTrue();
        switch (fault) {
            case SERVER_ERROR -> {
                assertThat(e.status()).isIn(500, 502, 503, 504);
                assertThat(e.errorCode()).contains("INJECTED_FAULT");
            }
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

        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> fake.getOrder(ORDER));

        assertIsThe(fault, e, false);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(fault, 1));
    }

    @Test
    void aMixedPlanFailsEveryFaultyCallRetryablyAndAnswersTheOthers() {
        fake.faults(FaultPlan.evenly(0.5), new Random(20260101));
        KlarnaHttpApi client = client(Duration.ofMillis(200));
        int answered = 0;
        int failed = 0;
        for (int i = 0; i < 12; i++) {
            try {
                client.getOrder(ORDER);
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
        catchThrowableOfType(ProviderApiException.class, () -> fake.getOrder(ORDER));

        fake.faults(FaultPlan.NONE, new Random(1));

        assertThat(client(Duration.ofSeconds(5)).getOrder(ORDER).orderId()).isEqualTo(ORDER);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(Fault.SERVER_ERROR, 1));
    }
}
