package org.callbackkit.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.klarna.KlarnaShop;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark 7: acknowledge throughput of a Klarna push and a Blockonomics payment callback in a
 * Spring Boot application, through callback-spring-boot-starter (its {@code CallbackServlet} at
 * {@code /callbacks}, the in-memory store), against a bare {@code @RestController} in the same
 * application that answers 200 with an empty body at {@value #BARE}, on the same embedded Tomcat,
 * with the same client and the same requests (sent below {@value #BARE} instead of
 * {@code /callbacks}), at each concurrency level.
 *
 * <p>The application is configured as a shop would configure it: {@code callbackkit.*} properties
 * ({@link #PROPERTIES}) and the two listener beans, Boot's auto-configuration doing the rest; no
 * Spring Security (with it, its filters would run for both sides). {@code callbackkit.store.threads=0}:
 * no worker runs the delayed work, every push stays pending, so what is measured is the
 * acknowledgement, as in benchmark 1. Each run starts a fresh application context (and so a fresh
 * Tomcat and store) for both sides alike, so that earlier runs' pending pushes and counted payments
 * do not pile up on the heap of later ones, and the heap is collected between runs, unmeasured, so
 * that no run pays for the garbage of the one before; within a run they do pile up, as in a shop on the memory store,
 * and the collector's work for them is part of ours. Tomcat keeps its defaults for both sides (among
 * them: a keep-alive connection is closed after 100 requests, and the client reconnects). Writes the
 * {@code spring} section of RESULTS.md.
 *
 * <p>System properties: {@code jitWarmup} (default 5: seconds each side and callback runs,
 * unmeasured, before the first row; 0 skips it), {@code levels} (default 1,16,64), {@code warmup} and
 * {@code seconds} per run (default 2 and 3), {@code rounds} (default 6: bare and ours alternate,
 * ABBA, and the median of the rounds' ratios counts).
 */
public final class SpringLoad {

    /** Where the bare controller answers. */
    static final String BARE = "/bare";

    /** What a shop would write in application.properties (plus Boot's port and logging, for a benchmark). */
    static final Map<String, Object> PROPERTIES = properties(
            "server.address=127.0.0.1",
            "server.port=0",
            "spring.main.banner-mode=off",
            "logging.level.root=warn",
            // Java 17's HttpClient (the Klarna API client) cannot be closed: Tomcat warns of its thread at each stop
            "logging.level.org.apache.catalina.loader.WebappClassLoaderBase=error",
            "callbackkit.store.type=memory",
            "callbackkit.store.threads=0",
            "callbackkit.klarna.merchant-id=bench-merchant",
            "callbackkit.klarna.shared-secret=bench-shared-secret",
            "callbackkit.klarna.environment=PLAYGROUND",
            "callbackkit.blockonomics.secret=" + BenchShop.SECRET);

    private SpringLoad() {
    }

    /** Runs the benchmark and writes its section of RESULTS.md. */
    public static void main(String[] args) throws Exception {
        AbbaRounds.Sizes sizes = AbbaRounds.Sizes.fromProperties();
        // the target is at 16 and 64 connections; 1 is for information
        AbbaRounds.Table table = AbbaRounds.compare(sizes, Callback.values(), callback -> callback.label, SpringLoad::run,
                connections -> connections < 16 ? 0 : 0.9);
        StringBuilder settings = new StringBuilder();
        PROPERTIES.forEach((name, value) -> settings.append(settings.length() == 0 ? "" : ", ")
                .append('`').append(name).append('=').append(value).append('`'));
        Results.write("spring", "7. Acknowledge throughput on Spring Boot, through the starter, against a bare @RestController",
                Results.command(SpringLoad.class),
                String.format(Locale.ROOT, """
                        One Spring Boot %s application on its embedded Tomcat %s (Boot's defaults), configured by
                        properties (%s) and two listener beans; no Spring Security. Ours is the starter's
                        `CallbackServlet` at `/callbacks` with the in-memory store and no worker threads (the
                        acknowledgement is measured, not the later work); bare is a `@RestController` in the same
                        application answering 200 with an empty body at `%s/**`, behind Boot's `DispatcherServlet`.
                        Both receive the same requests (the real Klarna push, the real confirmed Blockonomics
                        payment, each one new; the bare side's below `%s`). The module's raw-socket client
                        (`HttpLoad`), closed loop, keep-alive HTTP/1.1; a fresh application context per run, the heap
                        collected between runs (unmeasured); first
                        %s s of each side and callback unmeasured (JIT warm-up), then per run %s s warm-up excluded
                        and %s s measured; %d rounds per row, bare and ours alternating (ABBA); the ratio is the
                        median of the rounds' ratios, throughput and latency from each side's best round.
                        Target ratio >= 0.9 at 16 and 64 connections (1 is for information): **%s**.
                        %s

                        """, org.springframework.boot.SpringBootVersion.getVersion(),
                        org.apache.catalina.util.ServerInfo.getServerNumber(), settings, BARE, BARE,
                        Results.seconds(sizes.jitWarmup()), Results.seconds(sizes.warmup()),
                        Results.seconds(sizes.measure()), sizes.rounds(), table.allMet() ? "met" : "not met at every level",
                        AbbaRounds.CPU_COLUMNS)
                        + table.markdown());
    }

    private enum Callback {
        KLARNA_PUSH("Klarna push", BenchShop::klarnaPushRequest),
        BLOCKONOMICS("Blockonomics payment", BenchShop::blockonomicsPaymentRequest);

        final String label;
        final Function<BenchShop, CallbackRequest> request;

        Callback(String label, Function<BenchShop, CallbackRequest> request) {
            this.label = label;
            this.request = request;
        }
    }

    /**
     * One run on a fresh application: the starter's servlet for {@code ours}, the bare controller
     * otherwise. The {@link BenchShop} supplies the listener beans and the requests (its own router
     * stays unused: the starter builds the application's).
     */
    private static HttpLoad.Outcome run(boolean ours, Callback callback, int connections, Duration warmup,
            Duration measure) throws Exception {
        InMemoryDelayedActionScheduler unused = InMemoryDelayedActionScheduler.builder().threads(0).build();
        try (BenchShop shop = new BenchShop(new InMemoryCallbackJournal(), unused, new InMemoryStateStore());
                ServletWebServerApplicationContext app = start(shop)) {
            String mount = ours ? "/callbacks" : BARE;
            HttpLoad.Outcome outcome = HttpLoad.closedLoop(app.getWebServer().getPort(), connections, warmup, measure,
                    10_000_000, (connection, sequence) -> Servers.http(mount, callback.request.apply(shop)));
            if (ours && app.getBean(DelayedActionScheduler.class).pending().size() + shop.paymentsCounted()
                    < outcome.requests()) {
                throw new IllegalStateException("fewer callbacks scheduled or counted than acknowledged");
            }
            return outcome;
        } finally {
            unused.close();
            // collect this run's application now, unmeasured: else the next run, of either side,
            // pays for the pushes and payments this one left (hundreds of MB on ours at 64 connections)
            System.gc();
        }
    }

    /** Starts the application with {@code shop}'s listeners, on Tomcat. */
    static ServletWebServerApplicationContext start(BenchShop shop) {
        ApplicationContextInitializer<GenericApplicationContext> listeners =
                context -> context.registerBean(BenchShop.class, () -> shop);
        ServletWebServerApplicationContext app = (ServletWebServerApplicationContext) new SpringApplicationBuilder(Shop.class)
                .properties(PROPERTIES)
                .initializers(listeners)
                .run();
        if (!(app.getWebServer() instanceof TomcatWebServer)) {
            app.close();
            throw new IllegalStateException("Boot started " + app.getWebServer().getClass().getName() + ", not Tomcat");
        }
        return app;
    }

    private static Map<String, Object> properties(String... settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            properties.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        return properties;
    }

    /** The shop's application: Boot's auto-configuration, the starter's included, and its listener beans. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(BareController.class)
    static class Shop {

        @Bean
        KlarnaShop klarnaShop(BenchShop shop) {
            return shop.klarnaShop();
        }

        @Bean
        BlockonomicsShop blockonomicsShop(BenchShop shop) {
            return shop.blockonomicsShop();
        }
    }

    /** The baseline: answers every request below {@value #BARE} 200 with an empty body and does nothing else. */
    @RestController
    static class BareController {

        @RequestMapping(BARE + "/**")
        ResponseEntity<Void> ok() {
            return ResponseEntity.ok().build();
        }
    }
}
