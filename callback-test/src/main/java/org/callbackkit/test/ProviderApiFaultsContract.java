package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a provider module's HTTP client must make of its fake API's random faults ({@link
 * FakeProviderApi#faults}): each a retryable {@link ProviderApiException}, promptly, over HTTP and
 * in process alike; a mixed plan fails only some calls; and {@link FaultPlan#NONE} answers again.
 * Extend it with the module's fake, holding one order, and how to read that order (a client per
 * read timeout is reused, so that a token is asked for before the faults); add the tests of the
 * module's own calls beside it, using {@link #assertIsThe}.
 */
public abstract class ProviderApiFaultsContract {

    /** The module's fake API, serving and holding the order {@link #orderKey()}. */
    protected abstract FakeProviderApi<?> fake();

    /** The order the fake holds. */
    protected abstract String orderKey();

    /**
     * Reads the order with the module's real HTTP client against {@code fake().serve()}, its read
     * timeout {@code readTimeout}, and returns the id it read.
     */
    protected abstract String readOverHttp(Duration readTimeout);

    /** Reads the order from the fake in process (its API interface) and returns the id it read. */
    protected abstract String readInProcess();

    /** More the module says of a 5xx, such as the error code its API's error body carries; nothing by default. */
    protected void assertServerErrorDetail(ProviderApiException e) {
    }

    /** A stall lasts as long as the client's read timeout: short for a stall, long enough otherwise for a cold JVM. */
    protected static Duration readTimeoutFor(Fault fault) {
        return fault == Fault.STALL ? Duration.ofMillis(200) : Duration.ofSeconds(5);
    }

    /** Asserts that {@code e} is what {@code fault} must become: retryable, with its status and cause. */
    protected void assertIsThe(Fault fault, ProviderApiException e, boolean overHttp) {
        assertThat(e).as(fault.name()).isNotNull();
        assertThat(e.retryable()).as(e.getMessage()).isTrue();
        switch (fault) {
            case SERVER_ERROR -> {
                assertThat(e.status()).isIn(500, 502, 503, 504);
                assertServerErrorDetail(e);
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

    @AfterEach
    void closeTheFake() {
        fake().close();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void eachFaultOfAReadOverHttpIsARetryableProviderApiExceptionInTime(Fault fault) {
        readOverHttp(readTimeoutFor(fault)); // a token first, where the API has them, as a running shop has
        fake().faults(FaultPlan.always(fault), new Random(1));

        long started = System.nanoTime();
        ProviderApiException e = catchThrowableOfType(ProviderApiException.class,
                () -> readOverHttp(readTimeoutFor(fault)));

        assertIsThe(fault, e, true);
        assertThat(e.orderKey()).isEqualTo(orderKey());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(fake().faultsInjected().keySet()).containsExactly(fault);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void inProcessEachFaultIsARetryableProviderApiExceptionAtOnce(Fault fault) {
        fake().faults(FaultPlan.always(fault), new Random(1));

        assertIsThe(fault, catchThrowableOfType(ProviderApiException.class, this::readInProcess), false);
        assertThat(fake().faultsInjected()).isEqualTo(Map.of(fault, 1));
    }

    @Test
    void aMixedPlanFailsEveryFaultyCallRetryablyAndAnswersTheOthers() {
        readOverHttp(Duration.ofMillis(200));
        fake().faults(FaultPlan.evenly(0.5), new Random(20260101));
        int answered = 0;
        int failed = 0;
        for (int i = 0; i < 12; i++) {
            try {
                assertThat(readOverHttp(Duration.ofMillis(200))).isEqualTo(orderKey());
                answered++;
            } catch (ProviderApiException e) {
                assertThat(e.retryable()).as(e.getMessage()).isTrue();
                failed++;
            }
        }

        assertThat(answered).isPositive();
        assertThat(failed).isPositive();
        assertThat(fake().faultsInjected().values().stream().mapToInt(Integer::intValue).sum())
                .isGreaterThanOrEqualTo(failed);
    }

    @Test
    void afterFaultsNoneEveryCallIsAnsweredAgain() {
        fake().faults(FaultPlan.always(Fault.SERVER_ERROR), new Random(1));
        catchThrowableOfType(ProviderApiException.class, this::readInProcess);

        fake().faults(FaultPlan.NONE, new Random(1));

        assertThat(readOverHttp(Duration.ofSeconds(5))).isEqualTo(orderKey());
        assertThat(fake().faultsInjected()).isEqualTo(Map.of(Fault.SERVER_ERROR, 1));
    }
}
