package org.callbackkit.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The doctor against real software no one here wrote: Debian's Apache 2.4 with ModSecurity 2 and
 * the OWASP Core Rule Set at paranoia levels 1, 2 and 4, as a reverse proxy in front of a shop (see
 * {@link ApacheModSecurity}). The probes are the providers' real requests, so the rules that refuse
 * the real callbacks refuse the probes: the doctor must say so, not "all clear", and the exclusion
 * it prints must, once in Apache's configuration, let every probe through.
 */
class ModSecurityCrsTest {

    private static final ProviderCatalogue CATALOGUE = ProviderCatalogue.standard();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int doctor(String... args) {
        out.reset();
        DoctorCommand.Settings settings = new DoctorCommand.Settings(CATALOGUE, HostResolver.system(), null,
                duration -> { }, Clock.systemUTC(), false);
        return DoctorCommand.execute(settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), args);
    }

    private String report() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Level 1 lets every provider's real requests through; from level 2 on, the Klarna and Kustom
     * order bodies and USDT's hex values are refused, and Ecster's and Avarda's pass at every level.
     */
    @ParameterizedTest(name = "paranoia level {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void theProbesMeetTheRulesTheRealCallbacksMeetAndTheDoctorsExclusionLetsThemThrough(int paranoiaLevel)
            throws Exception {
        try (TestShop shop = TestShop.of(CATALOGUE.all(), null);
                ApacheModSecurity apache = ApacheModSecurity.start(shop.port(), paranoiaLevel)) {
            // by name, as a provider calls it: the shop's name in Host, Apache on loopback
            List<String> check = new ArrayList<>(List.of("check", "http://shop.test:" + apache.port(), "--all",
                    "--resolve", "127.0.0.1", "--allow-private", "--allow-http", "--burst", "0",
                    "--server-log", apache.errorLog().toString()));

            int exit = doctor(check.toArray(String[]::new));

            assertThat(report()).contains("[ ok ] probe  klarna/push ", "[ ok ] probe  klarna/notification ",
                    "[ ok ] probe  blockonomics/payment btc ", "[ ok ] probe  blockonomics/order ");
            assertThat(shop.journal().size()).as("what passed Apache reached the router").isPositive();
            if (paranoiaLevel == 1) {
                assertThat(exit).as(report()).isZero();
                assertThat(report()).doesNotContain("[FAIL]", "Whitelist");
                return;
            }
            assertThat(exit).as(report()).isEqualTo(1);
            assertThat(report()).contains(
                    "[FAIL] probe  klarna/validation ", "-> 403: BLOCKED_BY_FIREWALL (Apache); error.log names "
                            + "ModSecurity rules ",
                    "[FAIL] probe  klarna/shipping_option_update ", "[FAIL] probe  klarna/address_update ",
                    "[FAIL] probe  klarna/country_change ",
                    "[FAIL] probe  blockonomics/payment usdt ", "-> 403: BLOCKED_BY_FIREWALL (Apache); error.log names "
                            + "ModSecurity rule 942450",
                    "probe klarna/validation: BLOCKED_BY_FIREWALL, firewall ModSecurity [apache.forbidden; ruleIds=",
                    "The server log names the ModSecurity rules: ", "942260 (Detects basic SQL authentication bypass",
                    "Whitelist", "<LocationMatch");
            if (paranoiaLevel == 2) {
                assertThat(report()).contains("error.log names ModSecurity rules 942260, 942340\n",
                        "SecRuleRemoveById 942260 942340 942450\n");
                // run from elsewhere, without the server's log: the block is still seen, and where its rule id is
                List<String> remote = new ArrayList<>(check.subList(0, check.indexOf("--server-log")));
                assertThat(doctor(remote.toArray(String[]::new))).isEqualTo(1);
                assertThat(report()).contains("[FAIL] probe  klarna/validation ", "-> 403: BLOCKED_BY_FIREWALL (Apache)",
                        "[FAIL] probe  blockonomics/payment usdt ", "[apache.forbidden]", "[security2:error]",
                        "Whitelist", "<LocationMatch").doesNotContain("SecRuleRemoveById 942");
                doctor(check.toArray(String[]::new)); // the report checked below is the one with the log
            }

            check.add("--json");
            doctor(check.toArray(String[]::new));
            JsonNode json = new ObjectMapper().readTree(report());
            String exclusion = json.path("ruleExclusion").asText();
            assertThat(exclusion).contains("SecRuleRemoveById ", "942260", "942340", "942450");
            apache.addAndReload(exclusion);
            check.remove("--json");

            int passed = doctor(check.toArray(String[]::new));

            assertThat(passed).as(report()).isZero();
            assertThat(report()).contains("[ ok ] probe  klarna/validation ", "[ ok ] probe  blockonomics/payment usdt ")
                    .doesNotContain("[FAIL]", "Whitelist");
        }
    }

    /**
     * nginx's {@code limit_req} in front of the shop: the probes pass, the burst a provider's retries
     * look like is refused with nginx's own 503, and the doctor says the proxy's limit refused it
     * (RATE_LIMITED), not that the shop failed: the shop never saw those requests.
     */
    @org.junit.jupiter.api.Test
    void aProxysRequestLimitIsARateLimitNotTheShopFailing() throws Exception {
        try (TestShop shop = TestShop.of(CATALOGUE.select(List.of("blockonomics")), null);
                NginxLimitReq nginx = NginxLimitReq.start(shop.port(), 30, 3)) {
            int exit = doctor("check", "http://shop.test:" + nginx.port(), "-p", "blockonomics", "--resolve",
                    "127.0.0.1", "--allow-private", "--allow-http", "--burst", "5", "--burst-interval", "100ms");

            assertThat(exit).as(report()).isEqualTo(1);
            assertThat(report()).contains("[ ok ] probe  blockonomics/payment btc ", "[FAIL] burst  blockonomics ",
                    ": RATE_LIMITED", "[nginx.limit-req]", "nginx answered its own 503", "nginx's limit_req rate and burst")
                    .doesNotContain("look in the shop's logs");
            assertThat(Files.readString(nginx.errorLog())).contains("limiting requests");
        }
    }
}
