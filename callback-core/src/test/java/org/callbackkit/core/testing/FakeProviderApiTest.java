package org.callbackkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.callbackkit.core.testing.FaultPlan.Fault;
import org.junit.jupiter.api.Test;

/** A provider's fake on the base class: described in its constructor, scripted through its server. */
class FakeProviderApiTest {

    /** The smallest provider fake: one route, one scripting method, one in-process call. */
    static final class FakeAcmeApi extends FakeProviderApi<FakeAcmeApi> {
        static final String READ = "GET /orders/{id}";

        FakeAcmeApi() {
            super("fake Acme API");
            answers().route(READ, request -> FakeResponse.json(200, "{\"id\":\"" + request.pathVariable("id") + "\"}"));
        }

        FakeAcmeApi failNext(int status) {
            server().enqueue(READ, FakeResponse.json(status, "{}"));
            return this;
        }

        String read(String id) {
            return server().call(READ, Map.of("id", id), "").bodyOrThrow(
                    (failure, status, retryable) -> new IllegalStateException("fake Acme GET " + id + " " + failure));
        }

        void describeAgain() {
            answers().route("GET /late", request -> FakeResponse.empty(200));
        }
    }

    @Test
    void servesScriptsAndChainsAsTheSubclass() throws Exception {
        try (FakeAcmeApi acme = new FakeAcmeApi()) {
            URI base = acme.serve();
            FakeAcmeApi chained = acme.faults(FaultPlan.NONE, new Random(1)).failNext(503);

            HttpResponse<String> failed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("orders/1"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(chained).isSameAs(acme);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(acme.serve()).isEqualTo(base);
            assertThat(acme.read("2")).isEqualTo("{\"id\":\"2\"}");
        }
    }

    @Test
    void countsItsFaultsAndStillAnswersInProcessAfterClose() {
        FakeAcmeApi acme = new FakeAcmeApi();
        acme.faults(FaultPlan.always(Fault.DISCONNECT), new Random(1));
        assertThatThrownBy(() -> acme.read("1")).hasMessage("fake Acme GET 1 failed: connection closed without an answer");
        acme.faults(FaultPlan.NONE, new Random(1));

        acme.close();

        assertThat(acme.faultsInjected()).isEqualTo(Map.of(Fault.DISCONNECT, 1));
        assertThat(acme.read("1")).isEqualTo("{\"id\":\"1\"}");
        assertThatThrownBy(acme::serve).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void isDescribedOnlyInItsConstructor() {
        FakeAcmeApi acme = new FakeAcmeApi();
        acme.read("1");

        assertThatThrownBy(acme::describeAgain).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("constructor");
    }
}
