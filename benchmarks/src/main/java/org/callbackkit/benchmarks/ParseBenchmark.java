package org.callbackkit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing each provider's callback body as its module does: Klarna's validation (a whole order)
 * and notification, Ecster's and Avarda's notifications through {@link CallbackJson}'s strict
 * reader, against Jackson's plain {@code readTree} of the same bytes as the baseline. The bodies
 * come from the modules' {@code .testing} request builders. Blockonomics (a query string) is in
 * {@code org.callbackkit.blockonomics.BlockonomicsParseBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final KlarnaCallbackRequests klarna = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
    private final String klarnaOrderJson = KlarnaOrderBuilder.order("4f1c2b7e-5001-4d6a-9c1e-0d3m0k1arna")
            .line("sku-1", 2, 12_500).line("sku-2", 1, 4_900).build().json();
    private final CallbackRequest klarnaNotification = klarna
            .notification("4f1c2b7e-5001-4d6a-9c1e-0d3m0k1arna", "FRAUD_RISK_ACCEPTED").build();
    private final CallbackRequest ecster = new EcsterCallbackRequests().notification("ECS-100200300", "READY");
    private final CallbackRequest avarda = new AvardaCallbackRequests().completed("AVD-4711-0815");

    /** Klarna validation: the whole order as the module reads it. */
    @Benchmark
    public KlarnaOrder klarnaValidationOrder() {
        return KlarnaOrder.parse(klarnaOrderJson);
    }

    /** The same order through plain Jackson, the floor for the line above. */
    @Benchmark
    public JsonNode klarnaValidationOrderPlainJackson() throws IOException {
        return PLAIN.readTree(klarnaOrderJson);
    }

    /** Klarna fraud notification body. */
    @Benchmark
    public JsonNode klarnaNotification() {
        return CallbackJson.readObject(klarnaNotification);
    }

    /** Ecster order event notification body. */
    @Benchmark
    public JsonNode ecsterNotification() {
        return CallbackJson.readObject(ecster);
    }

    /** Ecster's body through plain Jackson, the floor for the line above. */
    @Benchmark
    public JsonNode ecsterNotificationPlainJackson() throws IOException {
        return PLAIN.readTree(ecster.bodyStream());
    }

    /** Avarda completed-purchase notification body. */
    @Benchmark
    public JsonNode avardaNotification() {
        return CallbackJson.readObject(avarda);
    }
}
