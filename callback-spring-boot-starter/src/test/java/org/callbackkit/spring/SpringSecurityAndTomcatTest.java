package org.callbackkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.klarna.KlarnaShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The starter on real Tomcat with Spring Security's defaults untouched (Boot's default chain:
 * everything authenticated, CSRF on): callbacks pass and are journaled, what the firewall refuses
 * below the mount path is journaled too, the idle timeout's 408 is the library's JSON, and the
 * journal page is behind the application's security. One context for all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "callbackkit.klarna.merchant-id=K123456_abcdef", "callbackkit.klarna.shared-secret=secret",
        "callbackkit.klarna.environment=PLAYGROUND", "callbackkit.klarna.api-base-uri=http://127.0.0.1:9/",
        "callbackkit.blockonomics.secret=" + SpringSecurityAndTomcatTest.SECRET,
        "callbackkit.store.threads=0", "callbackkit.journal.role=OPS", "callbackkit.tomcat.idle-timeout=1s",
        "spring.security.user.name=ops", "spring.security.user.password=ops-password", "spring.security.user.roles=OPS",
        "management.endpoint.health.show-details=always", "server.max-http-request-header-size=64KB"})
class SpringSecurityAndTomcatTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";

    @LocalServerPort
    int port;

    @Autowired
    CallbackJournal journal;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void theStoreStartsBeforeTheWebServerAndStopsAfterItAndItsGracefulShutdown() {
        int server = context.getBean("webServerStartStop", org.springframework.context.SmartLifecycle.class).getPhase();
        int graceful = context.getBean("webServerGracefulShutdown", org.springframework.context.SmartLifecycle.class)
                .getPhase();
        int store = context.getBean(StoreLifecycle.class).getPhase();

        assertThat(store).as("a lower phase starts earlier and stops later; within one phase the order is not ours")
                .isLessThan(server).isLessThan(graceful);
    }

    @Test
    void theApplicationsOwnServerSettingsWinOverTheStartersDefaults() {
        org.apache.catalina.connector.Connector connector = ((org.springframework.boot.web.embedded.tomcat.TomcatWebServer)
                ((org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext) context)
                        .getWebServer()).getTomcat().getConnector();
        var http11 = (org.apache.coyote.http11.AbstractHttp11Protocol<?>) connector.getProtocolHandler();

        assertThat(http11.getConnectionTimeout()).as("callbackkit.tomcat.idle-timeout=1s, no server.* of its own")
                .isEqualTo(1000);
        assertThat(http11.getMaxHttpRequestHeaderSize()).as("server.max-http-request-header-size=64KB, the app's")
                .isEqualTo(64 * 1024);
    }

    @Test
    void aKlarnaPushPostedWithoutCsrfTokenPassesSpringSecurityAndIsJournaled() throws IOException {
        RawHttp.Answer answer = RawHttp.send(port, RawHttp.request(
                "POST /callbacks/klarna/push?klarna_order_id=order-csrf HTTP/1.1", "Content-Length: 0"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(journaled("/klarna/push")).anySatisfy(entry -> {
            assertThat(entry.provider()).isEqualTo("klarna");
            assertThat(entry.kind()).isEqualTo("push");
            assertThat(entry.query()).containsEntry("klarna_order_id", List.of("order-csrf"));
        });
    }

    @Test
    void everythingElseIsStillGuardedByTheApplicationsSecurity() throws IOException {
        assertThat(RawHttp.send(port, RawHttp.request("POST /orders HTTP/1.1", "Content-Length: 0")).status())
                .isEqualTo(401);
        assertThat(RawHttp.send(port, RawHttp.request("GET /admin/callbacks/ HTTP/1.1")).status()).isEqualTo(401);
        assertThat(RawHttp.send(port, RawHttp.request("GET /admin/callbacks/ HTTP/1.1",
                "Authorization: Basic b3BzOm9wcy1wYXNzd29yZA==")).status()).isEqualTo(200); // ops:ops-password
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "path parameter    | Spring Security | GET /callbacks/blockonomics/payment;jsessionid=0123ABCD?secret=s HTTP/1.1 | ",
            "encoded slash     | Tomcat          | GET /callbacks/blockonomics%2Fpayment?secret=s HTTP/1.1 | ",
            "encoded dots      | Spring Security | GET /callbacks/klarna/%2e%2e/blockonomics/payment?secret=s HTTP/1.1 | ",
            "encoded NUL       | Tomcat          | GET /callbacks/blockonomics/payment%00?secret=s HTTP/1.1 | ",
            "control in header | Tomcat          | GET /callbacks/blockonomics/payment?secret=s HTTP/1.1 | X-Note: a\u0001b"})
    void aRequestRefusedBeforeTheServletIsJournaledWithTheLibrarysAnswer(String name, String refusedBy, String requestLine,
            String header) throws IOException {
        int before = journal.find(JournalQuery.all()).size();
        RawHttp.Answer answer = header == null ? RawHttp.send(port, RawHttp.request(requestLine))
                : RawHttp.send(port, RawHttp.request(requestLine, header));

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.body()).as(answer.text()).startsWith("{\"error\":");
        assertThat(journal.find(JournalQuery.all())).as(name).hasSize(before + 1)
                .first().satisfies(entry -> {
                    assertThat(entry.status()).isEqualTo(400);
                    assertThat(entry.detail()).contains("refused by " + refusedBy);
                });
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408WithTheLibrarysJson() throws IOException {
        RawHttp.Answer answer = RawHttp.send(port, "POST /callbacks/klarna/push?klarna_order_id=slow HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");

        assertThat(answer.status()).as(answer.text()).isEqualTo(408);
        assertThat(answer.body()).startsWith("{\"error\":");
        assertThat(journaled("/klarna/push")).anySatisfy(entry -> assertThat(entry.status()).isEqualTo(408));
    }

    @Test
    void healthShowsTheStore() throws IOException {
        RawHttp.Answer answer = RawHttp.send(port, RawHttp.request("GET /actuator/health HTTP/1.1"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"callbackKit\"").contains("\"store\":\"memory\"");
    }

    private List<JournalEntry> journaled(String path) {
        return journal.find(JournalQuery.all()).stream().filter(entry -> entry.path().equals(path)).toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Shop {

        @Bean
        KlarnaShop klarnaShop() {
            return Mockito.mock(KlarnaShop.class);
        }

        @Bean
        BlockonomicsShop blockonomicsShop() {
            return new BlockonomicsShop() {
                @Override
                public Optional<ExpectedPayment> findOrder(org.callbackkit.blockonomics.BlockonomicsCallback callback) {
                    return Optional.of(new ExpectedPayment("order-1", Crypto.BTC, 100_000));
                }

                @Override
                public void onPayment(org.callbackkit.blockonomics.PaymentEvent event) {
                }
            };
        }
    }
}
