package org.callbackkit.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.intake.CallbackEndpoint;
import java.util.concurrent.atomic.AtomicInteger;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command line against a real shop on loopback (router, servlet, Jetty), clean and behind
 * filters that play what stands in front of shops: a ModSecurity rule against {@code APIs-Klarna},
 * a catch-all 200, a rate limit, an http to https redirect. The demo shop's test runs the doctor
 * against the demo's own simulated firewalls (ModSecurity, Wordfence, Cloudflare, catch-all).
 */
class DoctorEndToEndTest {

    private static final ProviderCatalogue CATALOGUE = ProviderCatalogue.standard();
    private static final List<ProviderProfile> KLARNA_AND_BLOCKONOMICS = CATALOGUE.select(List.of("klarna", "blockonomics"));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Duration> pauses = new ArrayList<>();
    private TestShop shop;

    @AfterEach
    void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    private int doctor(String... args) {
        DoctorCommand.Settings settings = new DoctorCommand.Settings(CATALOGUE, TlsCorpusTest::resolve, null,
                pauses::add, Clock.systemUTC(), false);
        return DoctorCommand.execute(settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private int checkLocally(String... extra) {
        List<String> args = new ArrayList<>(List.of("check", shop.url(), "--provider", "klarna,blockonomics",
                "--allow-private", "--allow-http", "--burst", "3", "--burst-interval", "1s"));
        args.addAll(List.of(extra));
        return doctor(args.toArray(String[]::new));
    }

    private String report() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void answer(HttpServletResponse response, int status, String contentType, String body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCleanShopPassesAndNoProbeReachesAHandler() throws Exception {
        shop = TestShop.of(KLARNA_AND_BLOCKONOMICS, null);

        int exit = checkLocally();

        assertThat(exit).as(report()).isZero();
        assertThat(report()).contains("[ ok ] probe  klarna/push ", "POST /callbacks/klarna/push/"
                        + "f3392f8b-6116-4073-ab96-e330819e2c07 -> 200, answered by the shop's callback router.",
                "[ ok ] probe  blockonomics/payment btc ", "[ ok ] probe  blockonomics/payment usdt ",
                "GET /callbacks/blockonomics/payment -> 200",
                "\nBurst (requests like a provider retrying, after the probes)\n[ ok ] burst  klarna",
                "3 requests 1 s apart to klarna/push, as a provider retrying: all answered",
                "[ ok ] probe  klarna/push                    POST /callbacks/klarna/push -> 200",
                "[warn] url    https", "[warn] dns", "All 20 checks passed (5 warnings).")
                .doesNotContain("[FAIL]", "Whitelist");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("... probing klarna/push (1/11)",
                "... probing blockonomics/payment usdt (10/11)", "... burst to blockonomics/payment btc (3/3)");
        assertThat(pauses).containsOnly(Duration.ofSeconds(1)).hasSize(2 * 3); // per burst: a pause first, then between
        List<JournalEntry> journal = shop.journal().find(JournalQuery.builder().limit(100).build());
        assertThat(journal).hasSize(11 + 3 + 3).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo(200);
            assertThat(entry.detail()).startsWith("probe (" + CallbackRouter.PROBE_HEADER + ")");
        });
        assertThat(journal).filteredOn(e -> e.provider().equals("klarna")).allSatisfy(entry -> {
            assertThat(entry.headers().get("User-Agent")).containsExactly("APIs-Klarna");
            assertThat(entry.headers()).doesNotContainKeys("Referer", "Cookie");
        });
        assertThat(journal).filteredOn(e -> e.provider().equals("blockonomics")).allSatisfy(entry -> {
            assertThat(entry.headers().get("User-Agent")).containsExactly("curl/8.5.0");
            assertThat(entry.headers().get("Accept")).containsExactly("*/*");
        });
    }

    @Test
    void optionalKindsTheShopDoesNotMountAreWarnings() throws Exception {
        ProviderProfile klarna = KLARNA_AND_BLOCKONOMICS.get(0);
        List<CallbackEndpoint> mounted = klarna.endpoints();
        shop = new TestShop(List.of(mounted.get(0), mounted.get(1), mounted.get(mounted.size() - 2),
                mounted.get(mounted.size() - 1)), null); // push and notification, each with and without the id in the path

        int exit = doctor("check", shop.url(), "-p", "klarna", "--allow-private", "--allow-http", "--burst", "0");

        assertThat(exit).as(report()).isZero();
        assertThat(report()).contains("[warn] probe  klarna/validation", "does not mount this optional callback");
    }

    @Test
    void aModSecurityRuleAgainstKlarnasUserAgentIsFoundAndExplained() throws Exception {
        Filter modSecurity = (request, response, chain) -> {
            if ("APIs-Klarna".equals(((HttpServletRequest) request).getHeader("User-Agent"))) {
                answer((HttpServletResponse) response, 406, "text/html", "<html><h1>Not Acceptable!</h1><p>An appropriate "
                        + "representation of the requested resource could not be found on this server. This error was "
                        + "generated by Mod_Security.</p></html>");
            } else {
                chain.doFilter(request, response);
            }
        };
        shop = TestShop.of(KLARNA_AND_BLOCKONOMICS, modSecurity);

        int exit = checkLocally();

        assertThat(exit).isEqualTo(1);
        assertThat(report()).contains(
                "[FAIL] probe  klarna/push ", "-> 406: BLOCKED_BY_FIREWALL (ModSecurity)",
                "[skip] burst  klarna", "[ ok ] probe  blockonomics/payment", "[ ok ] burst  blockonomics",
                "probe klarna/push: BLOCKED_BY_FIREWALL, firewall ModSecurity [modsecurity.page]",
                "Let /callbacks/klarna/push/* skip ModSecurity",
                "Klarna retries this callback until",
                "Whitelist", "SecRule REQUEST_FILENAME \"@rx ^(?:/callbacks/klarna/(?:push|notification|validation|",
                "probe klarna/notification: as klarna/push above",
                "- Klarna does not retry notification callbacks", "8 of 20 checks failed.");
        assertThat(shop.journal().find(JournalQuery.builder().provider("klarna").build())).isEmpty();
    }

    @Test
    void jsonForMachines() throws Exception {
        shop = TestShop.of(KLARNA_AND_BLOCKONOMICS, (request, response, chain) -> answer((HttpServletResponse) response,
                200, "text/plain", "OK"));

        int exit = checkLocally("--json");

        assertThat(exit).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(report());
        assertThat(json.path("passed").asBoolean(true)).isFalse();
        JsonNode push = null;
        for (JsonNode check : json.path("checks")) {
            if (check.path("name").asText().equals("klarna/push")) {
                push = check;
            }
        }
        assertThat(push).isNotNull();
        assertThat(push.path("status").asText()).isEqualTo("FAIL");
        assertThat(push.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(json.path("schemaVersion").asInt()).isEqualTo(DoctorReport.SCHEMA_VERSION).isEqualTo(2);
        assertThat(java.time.Instant.parse(json.path("checkedAt").asText())).isBefore(java.time.Instant.now().plusSeconds(1));
        assertThat(json.path("durationMs").isIntegralNumber()).isTrue();
        assertThat(json.path("ruleExclusion").isNull()).isTrue();
        assertThat(push.path("diagnosis").path("verdict").asText()).isEqualTo("SUSPECT_SUCCESS");
        assertThat(push.path("diagnosis").path("cause").asText()).isEqualTo("suspect.probe-unanswered");
        assertThat(push.path("diagnosis").path("firewall").isNull()).isTrue();
        assertThat(json.path("whitelist").path("cloudflareExpression").asText()).contains("starts_with(");
        assertThat(json.path("checks").findValuesAsText("area")).doesNotContain("burst");
        assertThat(json.path("burst").findValuesAsText("name")).containsExactly("klarna", "blockonomics");
    }

    @Test
    void aBurstFindsTheRateLimitThatASingleProbeMisses() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        shop = TestShop.of(CATALOGUE.select(List.of("blockonomics")), (request, response, chain) -> {
            if (seen.incrementAndGet() > 4) { // the three probes (BTC and USDT payments, order hook), then one of the burst
                answer((HttpServletResponse) response, 429, "text/html", "<html>Too Many Requests</html>");
            } else {
                chain.doFilter(request, response);
            }
        });

        int exit = doctor("check", shop.url(), "-p", "blockonomics", "--allow-private", "--burst", "4",
                "--burst-interval", "500ms");

        assertThat(exit).isEqualTo(1);
        assertThat(report()).contains("[ ok ] probe  blockonomics/payment",
                "[FAIL] burst  blockonomics ", "4 requests 500 ms apart to blockonomics/payment btc: request 2 of 4 refused "
                        + "with 429: RATE_LIMITED; 1 answered, then request 2, 500 ms after the first, was refused: a limit "
                        + "that let through no more than 1 in 500 ms from one address, the probes just before counting "
                        + "toward it too (the limit's own setting is in the refusing server's configuration).",
                "burst blockonomics: RATE_LIMITED [http.rate-limit]",
                "Blockonomics retries this callback until");
    }

    @Test
    void redirectsAreExplainedAndNeverFollowed() throws Exception {
        AtomicInteger elsewhere = new AtomicInteger();
        try (TestShop other = TestShop.of(KLARNA_AND_BLOCKONOMICS, (request, response, chain) -> elsewhere.incrementAndGet())) {
            shop = TestShop.of(KLARNA_AND_BLOCKONOMICS, (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                boolean klarna = http.getRequestURI().contains("klarna");
                ((HttpServletResponse) response).setStatus(klarna ? 301 : 302);
                ((HttpServletResponse) response).setHeader("Location", klarna
                        ? "https://127.0.0.1:" + shop().port() + http.getRequestURI()
                        : other.url() + http.getRequestURI());
            });

            int exit = checkLocally();

            assertThat(exit).isEqualTo(1);
            assertThat(report()).contains("probe klarna/push: REDIRECTED [redirect.https]",
                    "probe blockonomics/payment btc: REDIRECTED [redirect.host]");
            assertThat(elsewhere).hasValue(0);
        }
    }

    private TestShop shop() {
        return shop;
    }

    @Test
    void privateTargetsAreRefusedUnlessAllowed() throws Exception {
        shop = TestShop.of(KLARNA_AND_BLOCKONOMICS, null);

        int exit = doctor("check", shop.url(), "--all");

        assertThat(exit).isEqualTo(1);
        assertThat(report()).contains("[FAIL] dns", "Refusing to probe a private or loopback address (--allow-private",
                "[skip] probe  all");
        assertThat(shop.journal().size()).isZero();
    }

    @Test
    void aTestCaIsTrustedOnlyWhenGivenWithCaCert() throws Exception {
        try (LocalTlsServer server = LocalTlsServer.tls(TestPki.get().keyStore(TestPki.Server.GOOD))) {
            String url = "https://localhost:" + server.port();

            int untrusted = doctor("check", url, "-p", "klarna", "--allow-private", "--burst", "0");
            String untrustedReport = report();
            out.reset();
            int trusted = doctor("check", url, "-p", "klarna", "--allow-private", "--burst", "0", "--ca-cert",
                    TestPki.get().rootPem().toAbsolutePath().toString());

            assertThat(untrusted).isEqualTo(1);
            assertThat(untrustedReport).contains("[FAIL] tls", "not a trusted authority", "[tls.untrusted-authority]",
                    "--ca-cert");
            assertThat(report()).as("this server answers every path alike, so only TLS is the point here")
                    .contains("[ ok ] tls", "2 certificates sent, trusted").doesNotContain("[FAIL] tls");
            assertThat(trusted).isEqualTo(1);
            assertThat(doctor("check", url, "-p", "klarna", "--ca-cert", "pom.xml")).isEqualTo(2);

            java.nio.file.Path store = java.nio.file.Files.createTempFile("trust", ".p12");
            try (var file = java.nio.file.Files.newOutputStream(store)) {
                TestPki.get().trustStore().store(file, "s3cret".toCharArray());
            }
            out.reset();
            doctor("check", url, "-p", "klarna", "--allow-private", "--burst", "0", "--trust-store", store.toString(),
                    "--trust-store-password", "s3cret");
            assertThat(report()).as("only the store's authority, which issued this chain").contains("[ ok ] tls");
            assertThat(doctor("check", url, "-p", "klarna", "--trust-store", store.toString(), "--trust-store-password",
                    "wrong")).isEqualTo(2);
        }
    }

    @Test
    void usageErrorsExitWith2AndSayWhatIsWrongInOneLinePlusAHint() {
        assertThat(doctor("check", "https://shop.example.com", "--provider", "paypal")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("callback-doctor: unknown provider 'paypal'; known: "
                + "klarna, kustom, blockonomics, ecster, avarda\ntry 'callback-doctor check --help'\n");
        assertThat(out.size()).isZero();
        err.reset();
        assertThat(doctor("check", "https://shop.example.com", "--all", "--resolve", "shop.example.com")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("callback-doctor: --resolve takes an IP address")
                .doesNotContain("Usage");
        err.reset();
        assertThat(doctor("--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("try 'callback-doctor --help'\n").doesNotContain("Usage");
        assertThat(doctor("check", "https://shop.example.com", "--provider", "klarna", "--all")).isEqualTo(2);
        assertThat(doctor("check", "https://shop.example.com")).isEqualTo(2);
        assertThat(doctor("check", "ftp://shop.example.com", "--all")).isEqualTo(2);
        assertThat(doctor("check", "https://shop.example.com", "--all", "--burst-interval", "soon")).isEqualTo(2);
        assertThat(doctor("check", "https://shop.example.com", "--all", "--burst", "5", "--burst-interval", "1m"))
                .isEqualTo(2);
        assertThat(doctor()).isEqualTo(2);
    }

    @Test
    void versionPrintsTheBuildsVersion() {
        assertThat(doctor("--version")).isZero();
        assertThat(report()).matches("callback-doctor \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Callback Kit\\)\n");
    }

    @Test
    void whitelistSendsNothingAndPrintsTheRules() throws Exception {
        int exit = doctor("whitelist", "https://shop.example.com", "--all", "--mount", "/wc-api/callbacks");

        assertThat(exit).isZero();
        assertThat(report()).contains("klarna/push", "/wc-api/callbacks/klarna/push/*",
                "blockonomics: 44.241.250.59, 44.225.81.126 (an older Blockonomics help article",
                "klarna: 52.17.117.56, 52.17.176.198, 52.0.45.33, 52.0.46.187, 13.211.30.100, 3.104.49.49, 13.54.229.130, "
                        + "34.242.203.160", "(docs.klarna.com/api-reference/callbacks, read 2026-12-07",
                "kustom: none published", "(http.host eq \"shop.example.com\"",
                "ctl:ruleEngine=Off", "<LocationMatch", "location ~");

        out.reset();
        assertThat(doctor("whitelist", "https://shop.example.com/cb", "-p", "blockonomics", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(report()).path("paths").get(0).path("pattern").asText())
                .isEqualTo("/cb/blockonomics/payment");

        out.reset();
        assertThat(doctor("whitelist", "https://shop.example.com/cb", "-p", "klarna", "--json")).isZero();
        JsonNode klarna = new ObjectMapper().readTree(report()).path("sourceIps").path("klarna");
        assertThat(klarna.path("addresses")).hasSize(20);
        assertThat(klarna.path("addresses").get(0).asText()).isEqualTo("52.17.117.56");
        assertThat(klarna.path("source").asText()).startsWith("docs.klarna.com/api-reference/callbacks, read 2026-12-07");
    }
}
