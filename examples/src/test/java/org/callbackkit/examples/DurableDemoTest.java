package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.JournalQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo shop with its journal and delayed actions in a SQLite file (callback-jdbc): the demo
 * provider's endpoint and Blockonomics' take the durable scheduler and journal unchanged, and a
 * payment accepted before a restart is acted on after it.
 */
class DurableDemoTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void theWholeDemoRunsDurablyAndResumesAfterARestart() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        boolean passed = DemoMain.runDemo(0, new PrintStream(printed, true, StandardCharsets.UTF_8), dir.resolve("shop.db"));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(output).isTrue();
        assertThat(output).contains("scenarios: 38 as expected, 0 not")
                .contains("orders 1001 PAID, 2001 PAID, 2002 PENDING, 5001 PAID, 3001 PAID, 3002 PAID, 4001 PAID, 4002 PAID;"
                        + " 7 became paid")
                .contains("stopping the shop with 1 action(s) pending")
                .contains("Restart passed");
    }

    @Test
    void aPaymentAcceptedBeforeARestartIsPaidAfterIt() throws Exception {
        Path file = dir.resolve("shop.db");
        Duration delay = Duration.ofHours(1);
        try (DemoShop shop = DemoShop.builder().durable(file).paymentDelay(delay).start()) {
            assertThat(pay(shop)).isEqualTo(200);
            assertThat(shop.scheduler().health().pending()).isEqualTo(1);
        }

        // an hour later, as far as the restarted shop (its orders in memory, unpaid) can tell: the action is due
        Clock anHourLater = Clock.offset(Clock.systemUTC(), delay);
        try (DemoShop restarted = DemoShop.builder().durable(file).clock(anHourLater).start()) {
            assertThat(DemoDriver.pollingHealth(restarted.baseUri(), Duration.ofSeconds(30)).letRun()).isTrue();

            assertThat(restarted.orders().find(DemoShop.DEMO_ORDER_ID).orElseThrow().status())
                    .isEqualTo(DemoOrders.Status.PAID);
            assertThat(restarted.scheduler().dead()).isEmpty();
            assertThat(restarted.journal().find(JournalQuery.builder().provider("demo").build()))
                    .as("the journal kept the callback received before the restart")
                    .singleElement().satisfies(entry -> assertThat(entry.outcome()).isEqualTo(CallbackOutcome.ACCEPTED));
        }
    }

    private int pay(DemoShop shop) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        shop.baseUri().resolve("callbacks/demo/payment/" + DemoShop.DEMO_ORDER_ID))
                .header("Content-Type", "application/json")
                .header(DemoShop.SECRET_HEADER, shop.secret())
                .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"PAID\",\"amount\":" + DemoShop.DEMO_ORDER_AMOUNT + "}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
