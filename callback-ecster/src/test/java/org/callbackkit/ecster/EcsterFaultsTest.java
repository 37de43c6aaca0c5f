package org.callbackkit.ecster;

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
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fake's random faults as the real HTTP client sees them: each a typed, retryable {@link ProviderApiException}. */
class EcsterFaultsTest {

    private static final String ORDER = "zburxHFw0xQmyOmVOrcq";

    private final FakeEcsterApi fake = new FakeEcsterApi();
    private final URI base = fake.serve();

    EcsterFaultsTest() {
        fake.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").line("sku-1", "Mug", 1, 9900).build());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** A stall lasts as long as the client's read timeout: short here, long enough otherwise for a cold JVM. */
    private EcsterHttpApi client(Duration readTimeout) {
        return new EcsterHttpApi(new ProviderHttp("ecster", base, Duration.ofSeconds(2), readTimeout), fake.credentials());
    }

    private static Duration readTimeoutFor(Fault fault) {
        return fault == Fault.STALL ? Duration.ofMillis(200) : Duration.ofSeconds(5);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachFaultReachesTheHttpClientAsARetryableProviderApiException(Fault fault) {
        fake.faults(FaultPlan.always(fault), new Random(1));
        EcsterHttpApi client = client(readTimeoutFor(fault));

        long started = System.nanoTime();
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class, () -> client.getOrder(ORDER));

        assertIsThe(fault, e, true);
        assertThat(e.orderKey()).isEqualTo(ORDER);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(fake.faultsInjected().keySet()).containsExactly(fault);
        assertThat(fake.calls()).isNotEmpty().containsOnly(ORDER);
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

        assertIsThe(fault, catchThrowableOfType(ProviderApiException.class, () -> fake.getOrder(ORDER)), false);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(fault, 1));
    }

    @Test
    void aMixedPlanFailsEveryFaultyCallRetryablyAndAnswersTheOthers() {
        fake.faults(FaultPlan.evenly(0.5), new Random(20260101));
        EcsterHttpApi client = client(Duration.ofMillis(200));
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

        assertThat(client(Duration.ofSeconds(5)).getOrder(ORDER).id()).isEqualTo(ORDER);
        assertThat(fake.faultsInjected()).isEqualTo(Map.of(Fault.SERVER_ERROR, 1));
    }
}
