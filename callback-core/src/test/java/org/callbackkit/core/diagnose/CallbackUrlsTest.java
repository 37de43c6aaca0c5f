package org.callbackkit.core.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlsTest {

    private static final List<CallbackEndpoint> ENDPOINTS = List.of(
            endpoint("klarna", "push", "/klarna/push/{orderId}", "POST"),
            endpoint("klarna", "validation", "/klarna/validation/{orderId}", "POST"),
            endpoint("blockonomics", "payment", "/blockonomics/payment", "GET"));

    private static CallbackEndpoint endpoint(String provider, String kind, String path, String method) {
        return CallbackEndpoint.builder(provider, kind).path(path).methods(method).handler(r -> CallbackResponse.ok()).build();
    }

    private static CallbackUrls.Builder urls(String mountUrl) {
        return CallbackUrls.builder(mountUrl).endpoints(ENDPOINTS).requireHttps("klarna");
    }

    private static UrlCheck rule(List<UrlCheck> checks, String rule) {
        return checks.stream().filter(c -> c.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void aGoodShopPassesEveryRuleAndIsWarnedAboutItsGetCallback() {
        List<UrlCheck> checks = urls("https://shop.example.com/callbacks").build().check();

        assertThat(checks).extracting(UrlCheck::rule, UrlCheck::status).containsExactly(
                org.assertj.core.api.Assertions.tuple("url.https", UrlCheck.Status.PASS),
                org.assertj.core.api.Assertions.tuple("url.public-host", UrlCheck.Status.PASS),
                org.assertj.core.api.Assertions.tuple("url.language-prefix", UrlCheck.Status.PASS),
                org.assertj.core.api.Assertions.tuple("url.query", UrlCheck.Status.PASS),
                org.assertj.core.api.Assertions.tuple("url.cache", UrlCheck.Status.WARN));
        assertThat(rule(checks, "url.cache").subject()).isEqualTo("/callbacks/blockonomics/payment");
        assertThat(rule(checks, "url.cache").message()).contains("Bypass caching for /callbacks/blockonomics/payment");
    }

    @Test
    void httpFailsWhereAProviderRequiresHttps() {
        assertThat(rule(urls("http://shop.example.com/callbacks").build().check(), "url.https"))
                .satisfies(c -> assertThat(c.status()).isEqualTo(UrlCheck.Status.FAIL))
                .satisfies(c -> assertThat(c.message()).contains("klarna calls live shops over https only"));
        assertThat(rule(urls("http://shop.example.com/callbacks").allowHttp(true).build().check(), "url.https").status())
                .isEqualTo(UrlCheck.Status.WARN);
        assertThat(rule(CallbackUrls.builder("http://shop.example.com/callbacks").endpoints(ENDPOINTS.subList(2, 3))
                .requireHttps("klarna").build().check(), "url.https").status()).isEqualTo(UrlCheck.Status.WARN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "169.254.10.1",
        "100.64.0.1", "[::1]", "[fd12:3456::1]", "[fe80::1]", "shop.local", "shop.test", "shop.invalid", "shop.example",
        "intranet", "app.internal", "printer.home.arpa"})
    void hostsTheInternetCannotReachFailUnlessPrivateHostsAreAllowed(String host) {
        UrlCheck check = rule(urls("https://" + host + "/callbacks").build().check(), "url.public-host");
        assertThat(check.status()).isEqualTo(UrlCheck.Status.FAIL);
        assertThat(check.message()).contains("ngrok");

        assertThat(rule(urls("https://" + host + "/callbacks").allowPrivateHosts(true).build().check(), "url.public-host")
                .status()).isEqualTo(UrlCheck.Status.WARN);
    }

    @Test
    void aPublicBareIpIsAWarning() {
        UrlCheck check = rule(urls("https://93.184.215.14/callbacks").build().check(), "url.public-host");
        assertThat(check.status()).isEqualTo(UrlCheck.Status.WARN);
        assertThat(check.message()).contains("bare IP address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/en/callbacks", "/sv/callbacks", "/de-de/callbacks", "/en_US/shop/callbacks"})
    void aLanguagePrefixBeforeTheCallbackPathFails(String path) {
        UrlCheck check = rule(urls("https://shop.example.com" + path).build().check(), "url.language-prefix");
        assertThat(check.status()).isEqualTo(UrlCheck.Status.FAIL);
        assertThat(check.message()).contains("multilingual plugin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/wp/callbacks", "/my/callbacks", "/api/v1/callbacks", ""})
    void pathsThatOnlyLookShortAreNoLanguage(String path) {
        assertThat(rule(urls("https://shop.example.com" + path).build().check(), "url.language-prefix").status())
                .isEqualTo(UrlCheck.Status.PASS);
    }

    @Test
    void aQueryOrFragmentInTheMountUrlFails() {
        assertThat(rule(urls("https://shop.example.com/callbacks?lang=en").build().check(), "url.query").status())
                .isEqualTo(UrlCheck.Status.FAIL);
        assertThat(rule(urls("https://shop.example.com/callbacks#x").build().check(), "url.query").status())
                .isEqualTo(UrlCheck.Status.FAIL);
    }

    @Test
    void callbackUrlsKeepTheirTemplates() {
        CallbackUrls urls = urls("https://shop.example.com:8443/callbacks/").build();
        assertThat(urls.mountPath()).isEqualTo("/callbacks");
        assertThat(urls.callbackUrl(ENDPOINTS.get(0))).isEqualTo("https://shop.example.com:8443/callbacks/klarna/push/{orderId}");
    }

    @Test
    void theWhitelistNamesEachPathAndGivesRulesScopedToThem() {
        Whitelist.SourceIps blockonomics = new Whitelist.SourceIps(List.of("44.241.250.59", "44.225.81.126"),
                "a Blockonomics help article, read 2026-12-07");
        Whitelist whitelist = urls("https://shop.example.com/callbacks").sourceIps("blockonomics", blockonomics)
                .build().whitelist();

        assertThat(whitelist.paths()).extracting(Whitelist.PathRule::glob).containsExactly(
                "/callbacks/klarna/push/*", "/callbacks/klarna/validation/*", "/callbacks/blockonomics/payment");
        assertThat(whitelist.sourceIps()).containsExactly(Map.entry("klarna", Whitelist.SourceIps.unpublished()),
                Map.entry("blockonomics", blockonomics));
        assertThat(whitelist.toText()).contains("klarna: none published; allow by path, not by address",
                "blockonomics: 44.241.250.59, 44.225.81.126 (a Blockonomics help article, read 2026-12-07)");
        assertThat(whitelist.cloudflareExpression()).isEqualTo("(http.host eq \"shop.example.com\" and ("
                + "starts_with(http.request.uri.path, \"/callbacks/klarna/\") or "
                + "http.request.uri.path eq \"/callbacks/blockonomics/payment\"))");
        assertThat(whitelist.pathRegex())
                .isEqualTo("^(?:/callbacks/klarna/(?:push|validation)/[^/]+|/callbacks/blockonomics/payment)/?$");
        assertThat(whitelist.modSecurity()).contains("SecRule REQUEST_FILENAME \"@rx " + whitelist.pathRegex() + "\"",
                "id:10100,phase:1", "t:normalizePath", "ctl:ruleEngine=Off");
        assertThat(whitelist.nginx()).contains("location ~ \"" + whitelist.pathRegex() + "\"", "auth_basic off;");
        assertThat(whitelist.apache()).contains("<LocationMatch \"" + whitelist.pathRegex() + "\">", "SecRuleEngine Off");
        assertThat(whitelist.toText()).contains("klarna/push           POST  /callbacks/klarna/push/*",
                "klarna: none published; allow by path", "blockonomics: 44.241.250.59, 44.225.81.126");

        Pattern regex = Pattern.compile(whitelist.pathRegex());
        assertThat(List.of("/callbacks/klarna/push/4f1c", "/callbacks/klarna/push/4f1c/", "/callbacks/blockonomics/payment"))
                .allSatisfy(path -> assertThat(regex.matcher(path).matches()).as(path).isTrue());
        assertThat(List.of("/callbacks/klarna/push/", "/callbacks/klarna/push/a/b", "/wp-admin/",
                "/callbacks/blockonomics/payments", "/x/callbacks/klarna/push/1"))
                .allSatisfy(path -> assertThat(regex.matcher(path).matches()).as(path).isFalse());
    }

    @Test
    void providersWithTheSameKindsShareOneAlternation() {
        Whitelist whitelist = CallbackUrls.builder("https://shop.example.com").endpoints(List.of(
                endpoint("klarna", "push", "/klarna/push/{id}", "POST"),
                endpoint("klarna", "notification", "/klarna/notification/{id}", "POST"),
                endpoint("kustom", "push", "/kustom/push/{id}", "POST"),
                endpoint("kustom", "notification", "/kustom/notification/{id}", "POST"),
                endpoint("shop", "ping", "/ping", "GET"))).build().whitelist();

        assertThat(whitelist.pathRegex()).isEqualTo("^(?:/(?:klarna|kustom)/(?:push|notification)/[^/]+|/ping)/?$");
        assertThat(whitelist.cloudflareExpression()).contains("starts_with(http.request.uri.path, \"/klarna/\") or "
                + "starts_with(http.request.uri.path, \"/kustom/\") or http.request.uri.path eq \"/ping\"");
    }

    @Test
    void literalPathSegmentsAreEscapedInTheRegex() {
        Whitelist whitelist = CallbackUrls.builder("https://shop.example.com/cb.v1").endpoints(List.of(
                endpoint("p", "k", "/p.k/{id}", "POST"))).build().whitelist();
        assertThat(whitelist.pathRegex()).isEqualTo("^(?:/cb\\.v1/p\\.k/[^/]+)/?$");
        assertThat(Pattern.compile(whitelist.pathRegex()).matcher("/cbXv1/p.k/1").matches()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.0.1", "100.100.1.1",
        "0.0.0.0", "192.0.2.5", "198.51.100.7", "203.0.113.9", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1",
        "::", "fe80::1", "fc00::1", "fdff::1", "::ffff:10.0.0.1"})
    void addressesOffThePublicInternet(String address) throws Exception {
        assertThat(CallbackUrls.isPublicAddress(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"44.241.250.59", "93.184.215.14", "1.1.1.1", "2606:4700::1111", "::ffff:44.241.250.59"})
    void addressesOnThePublicInternet(String address) throws Exception {
        assertThat(CallbackUrls.isPublicAddress(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> CallbackUrls.builder("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackUrls.builder("ftp://shop.example.com/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackUrls.builder("/callbacks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Whitelist.SourceIps(List.of("a.b"), "docs, read 2026-12-07"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.b");
        assertThatThrownBy(() -> new Whitelist.SourceIps(List.of("52.17.117.56"), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("where the addresses were read");
        assertThat(new Whitelist.SourceIps(List.of("10.0.0.0/8", "2001:db8::/32"), "ours").addresses()).hasSize(2);
        assertThatThrownBy(() -> CallbackUrls.builder("https://shop.example.com").build())
                .isInstanceOf(IllegalStateException.class);
    }
}
