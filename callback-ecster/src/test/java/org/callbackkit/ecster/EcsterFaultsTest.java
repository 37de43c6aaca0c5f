package org.callbackkit.ecster;

import java.time.Duration;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.testing.FakeProviderApi;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.test.ProviderApiFaultsContract;

/** The fake's random faults as the real HTTP client sees them: each a typed, retryable exception. */
class EcsterFaultsTest extends ProviderApiFaultsContract {

    private static final String ORDER = "zburxHFw0xQmyOmVOrcq";

    private final FakeEcsterApi fake = new FakeEcsterApi();

    EcsterFaultsTest() {
        fake.putOrder(EcsterOrderBuilder.order(ORDER).status("READY").line("sku-1", "Mug", 1, 9900).build());
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
        return new EcsterHttpApi(new ProviderHttp("ecster", fake.serve(), Duration.ofSeconds(2), readTimeout),
                fake.credentials()).getOrder(ORDER).id();
    }

    @Override
    protected String readInProcess() {
        return fake.getOrder(ORDER).id();
    }
}
