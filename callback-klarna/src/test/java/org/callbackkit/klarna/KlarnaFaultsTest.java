package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Random;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.callbackkit.test.ProviderApiFaultsContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fake's random faults as the real HTTP client sees them: each a typed, retryable exception. */
class KlarnaFaultsTest extends ProviderApiFaultsContract {

    private static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    private final FakeKlarnaOrderManagement fake = new FakeKlarnaOrderManagement();

    KlarnaFaultsTest() {
        fake.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 1, 10000).build());
    }

    private KlarnaHttpApi client(Duration readTimeout) {
        return new KlarnaHttpApi(new ProviderHttp("klarna", fake.serve(), Duration.ofSeconds(5), readTimeout),
                fake.credentials());
    }

    @Override
    protected FakeProviderApi<?> fake() {
        return fake;
    }

    @Override
    protected String orderKey() {
        return ORDER;
    }

    @Override
    protected String readOverHttp(Duration readTimeout) {
        return client(readTimeout).getOrder(ORDER).orderId();
    }

    @Override
    protected String readInProcess() {
        return fake.getOrder(ORDER).orderId();
    }

    @Override
    protected void assertServerErrorDetail(ProviderApiException e) {
        assertThat(e.errorCode()).contains("INJECTED_FAULT");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aFaultyAcknowledgementIsRetryableAndTookEffectUnlessRefusedWithA5xx(Fault fault) {
        fake.faults(FaultPlan.always(fault), new Random(1));

        assertIsThe(fault, catchThrowableOfType(ProviderApiException.class,
                () -> client(readTimeoutFor(fault)).acknowledge(ORDER)), true);

        if (fault == Fault.SERVER_ERROR) {
            assertThat(fake.acknowledged()).as("a 5xx comes before the call takes effect").isEmpty();
        } else {
            assertThat(fake.acknowledged()).as("the answer was lost, not the call").containsExactly(ORDER);
        }
        assertThat(fake.faultsInjected().keySet()).containsExactly(fault);
    }
}
