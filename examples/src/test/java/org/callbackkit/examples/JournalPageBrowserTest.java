package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's journal page in a real headless browser (Debian's chromium, driven through
 * chromedriver by Selenium): refused without the admin cookie, then it lists callbacks, colours
 * them, filters, opens a callback's detail with its diagnosis, compares two, and shows injected
 * markup as text. One browser for the whole class.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}: {@code .ci/run} installs
 * them; on a Debian machine where they are missing and the build runs as root, this test installs
 * them with apt-get; anywhere else it fails with the command to run. It never skips.
 */
class JournalPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String UNKNOWN_ORDER = "1003";
    /** An order the shop creates only after its payment callback was refused. */
    private static final String LATE_ORDER = "1004";
    private static final String INJECTED = "<script>document.title='pwned';alert('pwned')</script>";

    /** Selenium warns that it has no CDP for this Chromium; the test uses WebDriver only. Held so the level sticks. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
    private static final MutableClock CLOCK = MutableClock.atFixedStart();
    private static final Path DOCS = Path.of("..", "docs");
    private static ManualDelayedActionScheduler scheduler;
    private static DemoShop shop;
    /** A second shop, the operator's console: many callbacks, a probe, a dead action. */
    private static ManualDelayedActionScheduler consoleScheduler;
    private static DemoShop console;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        ensureChromium();
        scheduler = new ManualDelayedActionScheduler(CLOCK);
        shop = DemoShop.builder().port(0).clock(CLOCK).scheduler(scheduler).start();
        HttpClient http = HttpClient.newHttpClient();
        String payment = "{\"event\":\"PAID\",\"amount\":" + DemoShop.DEMO_ORDER_AMOUNT + "}";
        send(http, pay(payment, shop.secret()).header("X-Note", INJECTED));                  // 200, the injected header
        CLOCK.advance(Duration.ofSeconds(1));
        send(http, pay(payment, "not-the-secret"));                                          // 403
        CLOCK.advance(Duration.ofSeconds(1));
        send(http, HttpRequest.newBuilder(shop.baseUri().resolve(                             // 404, markup in the detail
                "callbacks/demo/payment/%3Cimg%20src=x%20onerror=alert(1)%3E"))
                .header("Content-Type", "application/json").header(DemoShop.SECRET_HEADER, shop.secret())
                .POST(HttpRequest.BodyPublishers.ofString(payment)));

        seedTheConsole(http);

        profile = Files.createTempDirectory("callback-kit-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /**
     * Order 1001 paid once and then delivered six times more, one of them with a wrong secret; a
     * probe from the doctor; a payment for order 1003, which the shop does not have yet; and a
     * delayed payment of 1003 that died for the same reason.
     */
    private static void seedTheConsole(HttpClient http) throws Exception {
        consoleScheduler = new ManualDelayedActionScheduler(CLOCK);
        console = DemoShop.builder().port(0).clock(CLOCK).scheduler(consoleScheduler).adminToken("console-admin-token-0001")
                .paymentDelay(Duration.ofDays(1)).start();
        String payment = "{\"event\":\"PAID\",\"amount\":" + DemoShop.DEMO_ORDER_AMOUNT + "}";
        for (int i = 0; i < 7; i++) {
            CLOCK.advance(Duration.ofMinutes(1));
            send(http, consolePay(DemoShop.DEMO_ORDER_ID, payment, i == 3 ? "a-wrong-secret" : console.secret()));
        }
        CLOCK.advance(Duration.ofMinutes(1));
        send(http, consolePay(DemoShop.DEMO_ORDER_ID, payment, "").header("X-Callback-Kit-Probe", "doctor-1"));
        CLOCK.advance(Duration.ofMinutes(1));
        send(http, consolePay(UNKNOWN_ORDER, "{\"event\":\"PAID\",\"amount\":500}", console.secret()));
        consoleScheduler.schedule(new DelayedAction("demo.payment", UNKNOWN_ORDER, "{\"amount\":500}", CLOCK.instant()));
        CLOCK.advance(Duration.ofMinutes(1));
        send(http, consolePay(LATE_ORDER, "{\"event\":\"PAID\",\"amount\":700}", console.secret()));
        consoleScheduler.runDue();
        // an Ecster order paid in the app: its notification, then the run that reads it from Ecster's API (a
        // loopback fake, over HTTP), made due now so that nothing else runs
        CallbackRequest notification = new EcsterCallbackRequests().sharedHeader(DemoEcster.HEADER, DemoEcster.HEADER_VALUE)
                .notification(DemoEcster.MOBILE_ORDER, "FULLY_DELIVERED", "FULL_DEBIT");
        HttpRequest.Builder ecster = HttpRequest.newBuilder(console.baseUri().resolve("callbacks" + notification.pathAndQuery()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(notification.body()));
        notification.headers().asMap().forEach((name, values) -> values.forEach(value -> ecster.header(name, value)));
        send(http, ecster);
        assertThat(consoleScheduler.runNow(EcsterCallbacks.ACTION_TYPE, DemoEcster.MOBILE_ORDER)).isTrue();
        assertThat(consoleScheduler.runDue()).isEqualTo(1);
    }

    private static HttpRequest.Builder consolePay(String order, String body, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(console.baseUri().resolve("callbacks/demo/payment/" + order))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return secret.isEmpty() ? request : request.header(DemoShop.SECRET_HEADER, secret);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.close();
        }
        if (console != null) {
            console.close();
        }
        if (consoleScheduler != null) {
            consoleScheduler.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @BeforeEach
    void signOut() {
        browser.get(page(""));
        browser.manage().deleteAllCookies();
    }

    @Test
    void refusesWithoutTheAuthorizationCookie() {
        browser.get(page(""));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not authorized");
        assertThat(browser.findElements(By.id("journal"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("/demo/payment");
    }

    @Test
    void listsTheCallbacksNewestFirstAndColoursThem() {
        signIn();

        List<WebElement> rows = browser.findElements(By.cssSelector("#journal tr.entry"));
        assertThat(rows).hasSize(3);
        assertThat(rows).extracting(row -> row.findElement(By.cssSelector("td.status")).getText())
                .containsExactly("404", "403", "200");
        WebElement ok = rows.get(2).findElement(By.cssSelector("td.status"));
        WebElement refused = rows.get(1).findElement(By.cssSelector("td.status"));
        assertThat(ok.getCssValue("background-color")).isEqualTo("rgba(26, 127, 55, 1)");
        assertThat(refused.getCssValue("background-color")).isEqualTo("rgba(207, 34, 46, 1)");
        assertThat(rows.get(0).findElement(By.cssSelector("td.status")).getCssValue("background-color"))
                .isEqualTo("rgba(207, 34, 46, 1)");
    }

    @Test
    void filters() {
        signIn();

        browser.findElement(By.cssSelector("#outcome option[value='REJECTED_AUTH']")).click();
        clickAndWait(By.id("filter"));

        assertThat(browser.getCurrentUrl()).contains("outcome=REJECTED_AUTH");
        assertThat(browser.findElements(By.cssSelector("#journal tr.entry")))
                .singleElement().satisfies(row -> assertThat(row.getText()).contains("403", "REJECTED_AUTH"));
        browser.findElement(By.cssSelector("#status option[value='2xx']")).click();
        browser.findElement(By.cssSelector("#outcome option[value='']")).click();
        clickAndWait(By.id("filter"));
        assertThat(browser.findElements(By.cssSelector("#journal tr.entry")))
                .singleElement().satisfies(row -> assertThat(row.getText()).contains("200", "ACCEPTED"));
    }

    @Test
    void opensADetailWithTheDiagnosis() {
        signIn();

        clickAndWait(By.cssSelector("#journal tr.entry:nth-child(2) a.detail"));

        assertThat(browser.findElement(By.id("request")).getText()).contains("X-Demo-Secret", "***",
                "/demo/payment/1001");
        assertThat(browser.findElement(By.id("answer")).getText()).contains("403", "REJECTED_AUTH",
                "Header Content-Type", "application/json", "{\"error\":\"wrong X-Demo-Secret\"}");
        assertThat(browser.findElement(By.id("diagnosis")).getText()).contains("REJECTED",
                "The shop's callback code refused the callback as not authentic (403: wrong X-Demo-Secret)");
        assertThat(browser.getPageSource()).doesNotContain("not-the-secret");
    }

    @Test
    void comparesAWorkingCallbackWithOneThatFailed() {
        signIn();

        browser.findElement(By.cssSelector("#journal tr.entry:nth-child(3) input[type=checkbox]")).click();
        browser.findElement(By.cssSelector("#journal tr.entry:nth-child(2) input[type=checkbox]")).click();
        clickAndWait(By.id("compare"));

        List<WebElement> differing = browser.findElements(By.cssSelector("#comparison tr.diff"));
        assertThat(differing).extracting(row -> row.findElement(By.cssSelector("td.name")).getText())
                .contains("Status", "Outcome", "Header x-note", "Header x-demo-secret").doesNotContain("Path", "Method");
        assertThat(browser.findElements(By.xpath("//tr[td[@class='name' and text()='Header x-demo-secret']]/td[not(@class)]")))
                .as("two different secrets, told apart by a keyed hash, never shown")
                .extracting(WebElement::getText)
                .containsExactly("*** (differs from the right)", "*** (differs from the left)");
        assertThat(browser.getPageSource()).doesNotContain("not-the-secret", ">" + shop.secret() + "<");
        assertThat(browser.findElement(By.xpath("//tr[td[@class='name' and text()='Status']]")).getText())
                .contains("200", "403");
        assertThat(differing.get(0).findElement(By.tagName("td")).getCssValue("background-color"))
                .isEqualTo("rgba(255, 248, 197, 1)");
        assertThat(browser.findElements(By.cssSelector("#comparison tr.same"))).isNotEmpty();
    }

    @Test
    void showsInjectedMarkupAsText() {
        signIn();

        clickAndWait(By.cssSelector("#journal tr.entry:nth-child(3) a.detail"));
        assertThat(browser.findElement(By.id("request")).getText()).contains(INJECTED);
        browser.get(page(""));
        clickAndWait(By.cssSelector("#journal tr.entry:nth-child(1) a.detail"));
        assertThat(browser.findElement(By.id("answer")).getText()).contains("unknown order <img src=x onerror=alert(1)>");

        assertThat(browser.getTitle()).doesNotContain("pwned");
        assertThat(browser.findElements(By.tagName("script"))).isEmpty();
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void anOperatorFindsAnOrderByIdAndSeesItsCallbacksAndActions() throws IOException {
        openConsole("");
        screenshot("console-list.png");

        browser.findElement(By.id("find-order")).sendKeys(DemoShop.DEMO_ORDER_ID);
        clickAndWait(By.id("find"));

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Order " + DemoShop.DEMO_ORDER_ID);
        assertThat(browser.findElements(By.cssSelector("#journal tr.entry"))).hasSize(7)
                .allSatisfy(row -> assertThat(row.findElement(By.cssSelector("td.order")).getText())
                        .isEqualTo(DemoShop.DEMO_ORDER_ID));
        assertThat(browser.findElement(By.cssSelector("tr.action[data-key='1001'] td.state")).getText()).isEqualTo("waiting");
        assertThat(browser.findElement(By.id("order-outcome")).getText()).contains("1 delayed action(s) waiting, 0 dead");

        clickAndWait(By.cssSelector("#journal tr.entry:nth-child(4) a.detail"));
        assertThat(browser.getTitle()).as("a title an operator recognises, not a hex id")
                .matches("demo payment, order 1001, 2026-01-01 00:0\\d:02\\.000 UTC");
        assertThat(browser.findElement(By.id("answer")).getText()).contains("403", "REJECTED_AUTH");
    }

    @Test
    void theOrderViewShowsTheRunsOfItsActionsAndItsCallsToTheProvidersApi() throws Exception {
        openConsole("");
        browser.findElement(By.id("find-order")).sendKeys(DemoEcster.MOBILE_ORDER);
        clickAndWait(By.id("find"));

        assertThat(browser.getPageSource()).doesNotContain("not recorded by Callback Kit");
        assertThat(browser.findElement(By.id("order-outcome")).getText()).contains("Last action run", ": done.");
        WebElement run = browser.findElement(By.cssSelector("#action-runs tr.action-run"));
        assertThat(run.getAttribute("class")).isEqualTo("action-run done");
        assertThat(run.getText()).contains(EcsterCallbacks.ACTION_TYPE, DemoEcster.MOBILE_ORDER, "done");
        List<WebElement> calls = browser.findElements(By.cssSelector("#api-calls tr.api-call"));
        assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call.getText()).contains("ecster", "{id}")
                .doesNotContain(DemoEcster.MOBILE_ORDER));
        assertThat(calls).anySatisfy(call -> {
            assertThat(call.getText()).contains("GET /");
            assertThat(call.findElement(By.cssSelector("td.status")).getText()).isEqualTo("200");
            assertThat(call.findElement(By.cssSelector("td.status")).getCssValue("background-color"))
                    .isEqualTo("rgba(26, 127, 55, 1)");
        });
        screenshot("console-order.png");

        openConsole("api/order?ref=" + DemoEcster.MOBILE_ORDER);
        JsonNode order = new ObjectMapper().readTree(browser.findElement(By.tagName("body")).getText());
        assertThat(order.get("actionRuns")).singleElement().satisfies(json -> {
            assertThat(json.get("result").asText()).isEqualTo("done");
            assertThat(json.get("attempt").asInt()).isEqualTo(1);
        });
        assertThat(order.get("apiCalls")).hasSize(calls.size());
        assertThat(order.get("callbacks")).singleElement()
                .satisfies(json -> assertThat(json.get("provider").asText()).isEqualTo("ecster"));
    }

    @Test
    void aPageIsTurnedAndProbesAreHiddenUntilAsked() {
        openConsole("?order=" + DemoShop.DEMO_ORDER_ID + "&limit=5");

        assertThat(browser.findElement(By.id("count")).getText())
                .isEqualTo("This page shows 5 callbacks, newest first; older ones are on the next page."
                        + " The doctor's probes are hidden.");
        List<String> first = ids();
        clickAndWait(By.id("next"));
        List<String> second = ids();
        assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);
        assertThat(browser.findElement(By.id("count")).getText()).contains("This page shows 2 callbacks", "no older ones");
        assertThat(browser.findElement(By.cssSelector("#journal tr.entry:nth-child(1) td time")).getAttribute("datetime"))
                .isEqualTo("2026-01-01T00:02:02Z");
        assertThat(browser.findElement(By.cssSelector("#journal tr.entry:nth-child(1) td .local")).getText())
                .isEqualTo("2026-01-01 01:02:02 Europe/Stockholm");
        assertThat(browser.getPageSource()).doesNotContain("(probe)");

        browser.findElement(By.id("probes")).click();
        clickAndWait(By.id("filter"));
        assertThat(browser.getCurrentUrl()).contains("probes=1").doesNotContain("after=");
        assertThat(browser.findElements(By.xpath("//td[@class='kind' and contains(., '(probe)')]"))).hasSize(1);
    }

    @Test
    void aDeadActionIsRunAgainOnceItsCauseIsFixedAndBecomesDone() throws IOException {
        openConsole("work");
        assertThat(browser.findElement(By.id("health")).getText()).contains("waiting", "1 dead");
        WebElement dead = browser.findElement(By.cssSelector("tr.action.dead[data-key='" + UNKNOWN_ORDER + "']"));
        assertThat(dead.getText()).contains("unknown order " + UNKNOWN_ORDER, "1");
        screenshot("console-work.png");

        console.orders().add(UNKNOWN_ORDER, 500); // the cause, fixed: the shop has the order now
        clickAndWait(By.cssSelector("tr.action.dead[data-key='" + UNKNOWN_ORDER + "'] button.run-now"));
        assertThat(browser.getCurrentUrl()).endsWith("/work");
        assertThat(browser.findElement(By.cssSelector("tr.action[data-key='" + UNKNOWN_ORDER + "'] td.state")).getText())
                .isEqualTo("overdue");
        assertThat(consoleScheduler.runDue()).isEqualTo(1);
        browser.navigate().refresh();

        assertThat(browser.findElements(By.cssSelector("tr.action[data-key='" + UNKNOWN_ORDER + "']"))).isEmpty();
        assertThat(console.orders().find(UNKNOWN_ORDER).orElseThrow().status()).isEqualTo(DemoOrders.Status.PAID);
        openConsole("?provider=console&kind=run-now");
        assertThat(browser.findElement(By.cssSelector("#journal tr.entry")).getText()).contains("run-now", UNKNOWN_ORDER);
        clickAndWait(By.cssSelector("#journal tr.entry a.detail"));
        assertThat(browser.findElement(By.id("answer")).getText())
                .contains("run now of demo.payment " + UNKNOWN_ORDER + " by demo admin: due now");
    }

    @Test
    void aRefusedCallbackIsReDispatchedAfterItsCauseIsFixed() {
        openConsole("order?ref=" + LATE_ORDER);
        assertThat(browser.findElements(By.cssSelector("#journal tr.entry"))).singleElement()
                .satisfies(row -> assertThat(row.getText()).contains("404", "NOT_FOUND"));
        clickAndWait(By.cssSelector("#journal tr.entry a.detail"));
        assertThat(browser.findElement(By.id("body")).getText()).contains("kept in memory for re-dispatch until");

        console.orders().add(LATE_ORDER, 700); // the cause, fixed
        clickAndWait(By.id("redispatch"));

        assertThat(browser.getCurrentUrl()).endsWith("order?ref=" + LATE_ORDER);
        List<WebElement> rows = browser.findElements(By.cssSelector("#journal tr.entry"));
        assertThat(rows).extracting(row -> row.findElement(By.cssSelector("td.provider")).getText() + " "
                + row.findElement(By.cssSelector("td.status")).getText()).containsExactly("console 303", "demo 200", "demo 404");
        assertThat(browser.findElement(By.cssSelector("tr.action[data-key='" + LATE_ORDER + "'] td.state")).getText())
                .isEqualTo("waiting");
        clickAndWait(By.cssSelector("#journal tr.entry:nth-child(1) a.detail"));
        assertThat(browser.findElement(By.id("answer")).getText()).contains("re-dispatch of", "by demo admin: answered 200 ACCEPTED");
    }

    @Test
    void worksOnAPhoneInDarkModeAndFromTheKeyboard() throws IOException {
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            openConsole("");
            JavascriptExecutor script = (JavascriptExecutor) browser;
            assertThat(browser.findElement(By.tagName("body")).getCssValue("background-color"))
                    .isEqualTo("rgba(13, 17, 23, 1)");
            assertThat((Long) script.executeScript("return document.documentElement.scrollWidth - window.innerWidth;"))
                    .as("the page itself never scrolls sideways; the table scrolls in its own box").isLessThanOrEqualTo(0L);
            Files.createDirectories(DOCS);
            Files.write(DOCS.resolve("console-phone-dark.png"), chrome.getScreenshotAs(OutputType.BYTES));

            browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to the content");
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Callbacks");
            assertThat(browser.switchTo().activeElement().getCssValue("outline-style")).isEqualTo("solid");
        } finally {
            chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    void theJsonApiServesTheSameFiltersAndPages() throws Exception {
        openConsole("api/entries?order=" + DemoShop.DEMO_ORDER_ID + "&limit=4");
        JsonNode page = new ObjectMapper().readTree(browser.findElement(By.tagName("body")).getText());
        assertThat(page.get("entries")).hasSize(4)
                .allSatisfy(entry -> assertThat(entry.get("orderReferences").get(0).asText()).isEqualTo("1001"));
        assertThat(page.get("next").asText()).startsWith("2026-01-01T00:0");

        HttpResponse<String> work = HttpClient.newHttpClient().send(HttpRequest.newBuilder(console.baseUri().resolve(
                DemoShop.JOURNAL_PAGE + "api/work")).header("Cookie", DemoShop.ADMIN_COOKIE + "=console-admin-token-0001").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(work.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(work.body()).get("health").get("pending").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void everyMutatingRequestWithoutAuthorizationOrTokenIsRefused() throws Exception {
        openConsole("work");
        String token = browser.findElement(By.cssSelector("input[name=csrf]")).getAttribute("value");
        String cookie = browser.manage().getCookieNamed("callbackkit-console").getValue();
        String form = "type=demo.payment&key=" + DemoShop.DEMO_ORDER_ID + "&back=work";
        HttpClient http = HttpClient.newHttpClient();

        String refused = console.journal().find(JournalQuery.builder().outcomes(CallbackOutcome.NOT_FOUND).build()).get(0).id();
        assertThat(post(http, "redispatch", "id=" + refused, DemoShop.ADMIN_COOKIE + "=console-admin-token-0001;"
                + " callbackkit-console=" + cookie)).as("a re-dispatch without a token").isEqualTo(403);
        assertThat(post(http, "redispatch", "id=" + refused + "&csrf=" + token, "callbackkit-console=" + cookie))
                .as("a re-dispatch without authorization").isEqualTo(403);
        assertThat(postRun(http, form + "&csrf=" + token, "callbackkit-console=" + cookie)).as("no authorization")
                .isEqualTo(403);
        assertThat(postRun(http, form, DemoShop.ADMIN_COOKIE + "=console-admin-token-0001; callbackkit-console=" + cookie))
                .as("no token").isEqualTo(403);
        assertThat(postRun(http, form + "&csrf=" + token, DemoShop.ADMIN_COOKIE + "=console-admin-token-0001"))
                .as("a token without its cookie").isEqualTo(403);
        assertThat(postRun(http, form + "&csrf=" + token.substring(1), DemoShop.ADMIN_COOKIE
                + "=console-admin-token-0001; callbackkit-console=" + cookie)).as("a wrong token").isEqualTo(403);
        assertThat(consoleScheduler.pending()).extracting(p -> p.action().runAt()).as("nothing was made due")
                .allSatisfy(runAt -> assertThat(runAt).isAfter(CLOCK.instant()));
    }

    private static int postRun(HttpClient http, String form, String cookies) throws Exception {
        return post(http, "run", form, cookies);
    }

    private static int post(HttpClient http, String path, String form, String cookies) throws Exception {
        return http.send(HttpRequest.newBuilder(console.baseUri().resolve(DemoShop.JOURNAL_PAGE + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> ids() {
        return browser.findElements(By.cssSelector("#journal tr.entry")).stream().map(row -> row.getAttribute("data-id"))
                .toList();
    }

    /** Opens the console shop's journal page at {@code path}, signed in. */
    private static void openConsole(String path) {
        browser.get(console.baseUri().resolve(DemoShop.JOURNAL_PAGE).toString());
        browser.manage().addCookie(new Cookie(DemoShop.ADMIN_COOKIE, "console-admin-token-0001"));
        browser.get(console.baseUri().resolve(DemoShop.JOURNAL_PAGE + path).toString());
    }

    /** Saves the whole page, as the browser shows it, into the project's docs/, for docs/console.md. */
    private static void screenshot(String name) throws IOException {
        Files.createDirectories(DOCS);
        // the window's size includes the browser's own bars: add them, or the page's end is cut off
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.max(height + 40, 600)));
        try {
            Files.write(DOCS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    /**
     * Clicks what loads another page, and returns once that page replaced this one and finished
     * loading. The old page is marked with a script variable rather than watched as an element:
     * asking chromedriver about an element of a page being torn down can fail with an "unknown
     * error" instead of reporting it stale, so errors while the navigation is under way are retried.
     */
    private static void clickAndWait(By target) {
        JavascriptExecutor script = (JavascriptExecutor) browser;
        script.executeScript("window.callbackKitOldPage = true;");
        browser.findElement(target).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .until(driver -> Boolean.TRUE.equals(script.executeScript(
                        "return window.callbackKitOldPage === undefined && document.readyState === 'complete';")));
    }

    private static void signIn() {
        browser.manage().addCookie(new Cookie(DemoShop.ADMIN_COOKIE, shop.adminToken()));
        browser.get(page(""));
    }

    private static String page(String path) {
        return shop.baseUri().resolve(DemoShop.JOURNAL_PAGE + path).toString();
    }

    private static HttpRequest.Builder pay(String body, String secret) {
        return HttpRequest.newBuilder(shop.baseUri().resolve("callbacks/demo/payment/" + DemoShop.DEMO_ORDER_ID))
                .header("Content-Type", "application/json").header(DemoShop.SECRET_HEADER, secret)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static void send(HttpClient http, HttpRequest.Builder request) throws Exception {
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Chromium and chromedriver from Debian: present, or installed here when the build runs as root
     * with apt-get (a fresh CI machine), or a failure that says what to install. Never a skip.
     */
    private static void ensureChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            System.out.println("JournalPageBrowserTest: installing Debian's chromium and chromium-driver with apt-get");
            for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                    List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver"))) {
                Process process = new ProcessBuilder(command).inheritIO()
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (process.waitFor() != 0) {
                    fail(String.join(" ", command) + " failed with exit code " + process.exitValue());
                }
            }
        }
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The journal page's browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": run `sudo apt-get install -y chromium chromium-driver` (.ci/run does it).");
        }
    }
}
