package org.callbackkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.JournalServlet;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.security.web.SecurityFilterChain;
import org.sqlite.SQLiteDataSource;

/**
 * The auto-configuration in plain application contexts (no server): each provider on and off,
 * the three stores, a missing listener bean, the journal page's switch, and health.
 */
class CallbackKitAutoConfigurationTest {

    private static final String[] KLARNA = {"callbackkit.klarna.merchant-id=K123456_abcdef",
            "callbackkit.klarna.shared-secret=secret", "callbackkit.klarna.environment=playground"};
    private static final String[] BLOCKONOMICS = {"callbackkit.blockonomics.secret=0123456789abcdef0123456789abcdef"};
    private static final String[] ECSTER = {"callbackkit.ecster.api-key=api", "callbackkit.ecster.merchant-key=merchant",
            "callbackkit.ecster.environment=labs"};
    private static final String[] AVARDA = {"callbackkit.avarda.client-id=client", "callbackkit.avarda.client-secret=secret",
            "callbackkit.avarda.environment=stage"};

    private final WebApplicationContextRunner bare = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CallbackKitAutoConfiguration.class));

    /** With the application's own endpoint, so that a context without provider starts. */
    private final WebApplicationContextRunner runner = bare
            .withBean(CallbackEndpoint.class, () -> CallbackEndpoint.builder("myprovider", "paid")
                    .path("/myprovider/paid").methods("POST")
                    .handler(request -> CallbackResponse.ok()).build());

    @Test
    void withoutCredentialsNoProviderIsOnAndTheApplicationsOwnEndpointIsRouted() {
        runner.withBean(KlarnaShop.class, () -> Mockito.mock(KlarnaShop.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(KlarnaCallbacks.class)
                    .doesNotHaveBean(BlockonomicsCallbacks.class).doesNotHaveBean(EcsterCallbacks.class)
                    .doesNotHaveBean(AvardaCallbacks.class);
            CallbackRouter router = context.getBean(CallbackRouter.class);
            assertThat(router.endpoints()).extracting(CallbackEndpoint::provider).containsExactly("myprovider");
            assertThat(router.journal()).isSameAs(context.getBean(CallbackKitStore.class).journal());
            assertThat(context.getBean(CallbackKitStore.class).type()).isEqualTo("memory");
            assertThat(context.getBean("callbackServlet", ServletRegistrationBean.class).getUrlMappings())
                    .containsExactly("/callbacks/*");
        });
    }

    @Test
    void everyProviderWithCredentialsAndListenerIsOnSharingOneStore() {
        runner.withPropertyValues(KLARNA).withPropertyValues(BLOCKONOMICS).withPropertyValues(ECSTER)
                .withPropertyValues(AVARDA)
                .withBean(KlarnaShop.class, () -> Mockito.mock(KlarnaShop.class))
                .withBean(BlockonomicsShop.class, () -> Mockito.mock(BlockonomicsShop.class))
                .withBean(EcsterShop.class, () -> Mockito.mock(EcsterShop.class))
                .withBean(AvardaShop.class, () -> Mockito.mock(AvardaShop.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(KlarnaCallbacks.class)
                            .hasSingleBean(BlockonomicsCallbacks.class).hasSingleBean(EcsterCallbacks.class)
                            .hasSingleBean(AvardaCallbacks.class).hasSingleBean(CallbackRouter.class);
                    assertThat(context.getBean(CallbackRouter.class).endpoints()).extracting(CallbackEndpoint::provider)
                            .contains("klarna", "blockonomics", "ecster", "avarda");
                    // one scheduler for all: each module registered its action types on it
                    assertThat(context.getBean(CallbackKitStore.class).scheduler().pending()).isEmpty();
                });
    }

    @Test
    void aModulesApiCallsAreJournaledUnderTheOrderInTheStoresJournal() {
        FakeEcsterApi ecster = new FakeEcsterApi(new EcsterCredentials("api", "merchant"));
        ecster.putOrder(EcsterOrderBuilder.order("ecsterOrder0001").status("READY").build());
        try {
            runner.withPropertyValues(ECSTER).withPropertyValues("callbackkit.ecster.api-base-uri=" + ecster.serve())
                    .withBean(EcsterShop.class, () -> Mockito.mock(EcsterShop.class))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(EcsterCallbacks.class).confirmOrder("ecsterOrder0001");

                        assertThat(context.getBean(CallbackKitStore.class).journal().findActivity("ecsterOrder0001", 10))
                                .singleElement().satisfies(call -> {
                                    assertThat(call.source()).isEqualTo("ecster");
                                    assertThat(call.subject()).isEqualTo("GET /v1/orders/{id}");
                                    assertThat(call.result()).isEqualTo("200");
                                });
                    });
        } finally {
            ecster.close();
        }
    }

    @Test
    void withAMeterRegistryEveryCallbackIsCountedWithoutOneNothingChanges() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        runner.withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasNotFailed();
            CallbackRouter router = context.getBean(CallbackRouter.class);
            router.dispatch(org.callbackkit.core.testing.CallbackRequests.post("/myprovider/paid").build());
            router.dispatch(org.callbackkit.core.testing.CallbackRequests.post("/nowhere").build());

            assertThat(registry.get(org.callbackkit.micrometer.CallbackMetrics.CALLBACKS).tag("provider", "myprovider")
                    .tag("outcome", "accepted").counter().count()).isEqualTo(1.0);
            assertThat(registry.get(org.callbackkit.micrometer.CallbackMetrics.ACTIONS_PENDING).gauge().value()).isZero();
            assertThat(router.journal()).as("the router journals through the counting journal")
                    .isSameAs(context.getBean(CallbackKitStore.class).journal());
        });
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(CallbackRouter.class));
        runner.withClassLoader(new FilteredClassLoader(org.callbackkit.micrometer.CallbackMetrics.class))
                .withBean(io.micrometer.core.instrument.MeterRegistry.class,
                        io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("callbackKitApiListener"));
    }

    @Test
    void aProviderModuleNotOnTheClasspathStaysOffThoughConfigured() {
        runner.withPropertyValues(KLARNA).withClassLoader(new FilteredClassLoader(KlarnaCallbacks.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("klarnaCallbacks")
                        .doesNotHaveBean("klarnaEndpoints"));
    }

    @Test
    void credentialsWithoutTheListenerBeanFailStartupNamingTheBeanToWrite() {
        runner.withPropertyValues(KLARNA).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().isInstanceOf(ListenerMissingException.class)
                .hasMessageContaining("callbackkit.klarna.merchant-id is set")
                .hasMessageContaining("no bean of type org.callbackkit.klarna.KlarnaShop"));
        runner.withPropertyValues(BLOCKONOMICS).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("org.callbackkit.blockonomics.BlockonomicsShop"));
        runner.withPropertyValues(ECSTER).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("org.callbackkit.ecster.EcsterShop"));
        runner.withPropertyValues(AVARDA).run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("org.callbackkit.avarda.AvardaShop"));
    }

    @Test
    void bootReportsAMissingListenerAsWhatToWriteNotAsAStackTrace() {
        runner.withPropertyValues(KLARNA).run(context -> {
            // as Boot finds it: through META-INF/spring.factories (Boot's own analyzers that need
            // constructor arguments are skipped here)
            FailureAnalysis analysis = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                    .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { }))
                    .stream().map(analyzer -> analyzer.analyze(context.getStartupFailure()))
                    .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
            assertThat(analysis.getDescription())
                    .isEqualTo("callbackkit.klarna.merchant-id is set, but the application has no bean of type"
                            + " org.callbackkit.klarna.KlarnaShop.");
            assertThat(analysis.getAction()).startsWith("Write one (a @Component implementing KlarnaShop");
        });
    }

    @Test
    void aValidatorWithoutAChosenFallbackFailsStartupSayingWhichToChoose() {
        runner.withPropertyValues(KLARNA)
                .withBean(KlarnaShop.class, () -> Mockito.mock(KlarnaShop.class))
                .withBean(KlarnaValidator.class, () -> order -> null)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("callbackkit.klarna.validator-fallback").hasMessageContaining("APPROVE"));
    }

    @Test
    void theEmbeddedFileStoreIsStartedWithTheContextAndKeepsActions(@TempDir Path dir) {
        MutableClock clock = MutableClock.atFixedStart();
        runner.withPropertyValues("callbackkit.store.type=file", "callbackkit.store.file=" + dir.resolve("callbacks"),
                        "callbackkit.store.threads=0")
                .withBean(Clock.class, () -> clock)
                .run(context -> {
                    CallbackKitStore store = context.getBean(CallbackKitStore.class);
                    assertThat(store.type()).isEqualTo("file");
                    assertThat(store.reachable()).isTrue();
                    store.scheduler().register("shop.paid", action -> ActionResult.done());
                    store.scheduler().schedule(new DelayedAction("shop.paid", "order-1", "{}", clock.instant()));
                    assertThat(store.runDue()).isEqualTo(1); // started by the context: runDue works
                });
    }

    @Test
    void theApplicationsDataSourceHoldsTheStore(@TempDir Path dir) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("application.db"));
        runner.withPropertyValues("callbackkit.store.type=datasource", "callbackkit.store.threads=0")
                .withBean(DataSource.class, () -> dataSource)
                .run(context -> {
                    CallbackKitStore store = context.getBean(CallbackKitStore.class);
                    assertThat(store.type()).isEqualTo("datasource");
                    assertThat(store.details()).containsEntry("databaseUp", true);
                });
    }

    @Test
    void aDurableStoreWithoutWhereToKeepItFailsStartupSayingWhatIsMissing() {
        runner.withPropertyValues("callbackkit.store.type=file").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("callbackkit.store.file"));
        runner.withPropertyValues("callbackkit.store.type=datasource").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("DataSource bean"));
    }

    @Test
    void theJournalPageIsMountedOnlyWhenTheApplicationSaysWhoMaySeeIt() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("callbackJournalServlet"));
        runner.withPropertyValues("callbackkit.journal.role=OPS").run(context -> {
            ServletRegistrationBean<?> page = context.getBean("callbackJournalServlet", ServletRegistrationBean.class);
            assertThat(page.isEnabled()).isTrue();
            assertThat(page.getServlet()).isInstanceOf(JournalServlet.class);
            assertThat(page.getUrlMappings()).containsExactly("/admin/callbacks/*");
        });
        runner.withBean(CallbackJournalAuthorization.class, () -> request -> true)
                .run(context -> assertThat(context).hasBean("callbackJournalServlet"));
    }

    @Test
    void aFingerprintKeyShorterThan32BytesFailsStartup() {
        runner.withPropertyValues(BLOCKONOMICS).withPropertyValues("callbackkit.journal.fingerprint-key=short")
                .withBean(BlockonomicsShop.class, () -> Mockito.mock(BlockonomicsShop.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("at least 32 bytes"));
    }

    @Test
    void healthIsDownWhileAnActionIsOverdueAndUpOnceItRan() {
        MutableClock clock = MutableClock.atFixedStart();
        runner.withPropertyValues("callbackkit.store.threads=0", "callbackkit.store.overdue-after=5m")
                .withBean(Clock.class, () -> clock)
                .run(context -> {
                    CallbackKitStore store = context.getBean(CallbackKitStore.class);
                    HealthIndicator health = context.getBean("callbackKitHealthIndicator", HealthIndicator.class);
                    store.scheduler().register("shop.paid", action -> ActionResult.done());
                    store.scheduler().schedule(new DelayedAction("shop.paid", "order-1", "{}",
                            clock.instant().plusSeconds(60)));
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    clock.advance(Duration.ofMinutes(10)); // due 9 minutes ago: nothing ran it
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails()).containsEntry("overdue", 1).containsKey("oldestOverdueSince");
                    store.runDue();
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void healthIsDownWhileTheDatabaseIsOutAndUpAfter(@TempDir Path dir) {
        AtomicBoolean out = new AtomicBoolean();
        SQLiteDataSource dataSource = new SQLiteDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                if (out.get()) {
                    throw new SQLException("Connection is not available, request timed out after 250ms");
                }
                return super.getConnection();
            }
        };
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("application.db"));
        runner.withPropertyValues("callbackkit.store.type=datasource", "callbackkit.store.threads=0")
                .withBean(DataSource.class, () -> dataSource)
                .run(context -> {
                    HealthIndicator health = context.getBean("callbackKitHealthIndicator", HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    out.set(true);
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails()).containsEntry("databaseUp", false)
                            .doesNotContainKey("pending");
                    out.set(false);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void healthIsSwitchedOffAsAnyActuatorIndicator() {
        runner.withPropertyValues("management.health.callbackkit.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("callbackKitHealthIndicator"));
    }

    @Test
    void theCallbackChainComesBesideBootsDefaultChainAndCanBeSwitchedOff() {
        WebApplicationContextRunner secured = runner.withConfiguration(AutoConfigurations.of(
                SecurityAutoConfiguration.class, CallbackKitAutoConfiguration.class));
        secured.run(context -> assertThat(context.getBeansOfType(SecurityFilterChain.class))
                .containsKeys("callbackKitSecurityFilterChain", "defaultSecurityFilterChain"));
        secured.withPropertyValues("callbackkit.security.enabled=false").run(context -> assertThat(
                context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("defaultSecurityFilterChain"));
    }

    @Test
    void theIdeCompletesEveryPropertyAndTheProvidersEnumValues() throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode metadata;
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        assertThat(metadata.get("properties").findValuesAsText("name")).contains("callbackkit.path",
                "callbackkit.store.type", "callbackkit.klarna.merchant-id", "callbackkit.blockonomics.secret",
                "callbackkit.ecster.api-key", "callbackkit.avarda.client-id", "callbackkit.tomcat.idle-timeout");
        assertThat(metadata.get("properties").findValuesAsText("description")).hasSameSizeAs(metadata.get("properties"));
        assertThat(metadata.get("hints").findValuesAsText("name")).contains("callbackkit.klarna.environment",
                "callbackkit.ecster.environment", "callbackkit.avarda.environment");
    }

    @Test
    void noEndpointAtAllFailsStartupSayingHowToConfigureOneOrSwitchOff() {
        bare.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("no callback endpoint").hasMessageContaining("callbackkit.enabled=false"));
        bare.withPropertyValues("callbackkit.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(CallbackRouter.class).doesNotHaveBean(CallbackKitStore.class));
    }
}
