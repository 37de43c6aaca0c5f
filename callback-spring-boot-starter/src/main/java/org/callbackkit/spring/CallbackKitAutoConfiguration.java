package org.callbackkit.spring;

import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalServlet;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;

/**
 * Callback Kit for a Spring Boot application: one {@link CallbackKitStore} (journal, scheduler,
 * state and idempotency stores), one {@link CallbackRouter} over every provider module that is on
 * the classpath, configured and given its listener bean, the callback servlet at
 * {@code callbackkit.path}, and the journal page when the application says who may see it. With
 * Spring Security, Actuator or embedded Tomcat on the classpath, their parts switch on too (see
 * docs/spring-boot.md).
 *
 * <p>Time is the application's {@link Clock} bean if it has one, else the system UTC clock.
 * Each bean backs off when the application defines its own of the same type.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        // so that Boot's default SecurityFilterChain is already registered (ours would make it back off)
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnClass(CallbackRouter.class)
@ConditionalOnProperty(prefix = "callbackkit", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CallbackKitProperties.class)
@Import({ProviderConfigurations.Klarna.class, ProviderConfigurations.Blockonomics.class,
        ProviderConfigurations.Ecster.class, ProviderConfigurations.Avarda.class,
        CallbackKitSecurityConfiguration.class, CallbackKitTomcatConfiguration.class,
        CallbackKitHealthConfiguration.class, CallbackKitMetricsConfiguration.class})
public class CallbackKitAutoConfiguration {

    /** Ahead of Spring Security's filter ({@code spring.security.filter.order}, -100 by default). */
    static final int ERROR_FILTER_ORDER = -200;

    private static final Logger LOG = LoggerFactory.getLogger(CallbackKitAutoConfiguration.class);

    /** The store {@code callbackkit.store.type} chooses; started and closed by {@link StoreLifecycle}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CallbackKitStore callbackKitStore(CallbackKitProperties properties, ObjectProvider<Clock> clock,
            ObjectProvider<DataSource> dataSource) {
        CallbackKitProperties.Store store = properties.getStore();
        Clock time = clock.getIfUnique(Clock::systemUTC);
        switch (store.getType()) {
            case MEMORY:
                LOG.warn("Callback Kit keeps its journal and pending actions in memory: they are lost on restart."
                        + " Set callbackkit.store.type=file or datasource in production.");
                return new MemoryStore(store, time);
            case FILE:
                requireJdbcModule("file");
                if (store.getFile() == null) {
                    throw new IllegalStateException("callbackkit.store.type=file needs callbackkit.store.file,"
                            + " the database file to keep callbacks in (e.g. data/callbacks)");
                }
                return JdbcStore.file(store.getFile(), store, time);
            case DATASOURCE:
                requireJdbcModule("datasource");
                DataSource source = dataSource.getIfUnique();
                if (source == null) {
                    throw new IllegalStateException("callbackkit.store.type=datasource needs one DataSource bean"
                            + " (spring.datasource.* or your own @Bean); none or several were found");
                }
                return JdbcStore.dataSource(source, store, time);
            default:
                throw new IllegalStateException("unknown callbackkit.store.type " + store.getType());
        }
    }

    private static void requireJdbcModule(String type) {
        if (!ClassUtils.isPresent("org.callbackkit.jdbc.JdbcCallbackStore", CallbackKitAutoConfiguration.class.getClassLoader())) {
            throw new IllegalStateException("callbackkit.store.type=" + type
                    + " needs the org.callbackkit:callback-jdbc dependency on the classpath");
        }
    }

    /** The store's journal, for the application to query; the store owns and closes it. */
    @Bean(destroyMethod = "")
    CallbackJournal callbackJournal(CallbackKitStore store) {
        return store.journal();
    }

    /** The store's scheduler: register the application's own action types on it. */
    @Bean(destroyMethod = "")
    DelayedActionScheduler callbackScheduler(CallbackKitStore store) {
        return store.scheduler();
    }

    /** The store's per-key state. */
    @Bean(destroyMethod = "")
    StateStore callbackStateStore(CallbackKitStore store) {
        return store.stateStore();
    }

    /** The store's idempotency marks. */
    @Bean(destroyMethod = "")
    IdempotencyStore callbackIdempotencyStore(CallbackKitStore store) {
        return store.idempotencyStore();
    }

    @Bean
    static StoreLifecycle callbackKitStoreLifecycle(ObjectProvider<CallbackKitStore> store) {
        return new StoreLifecycle(store);
    }

    /**
     * The router over every provider module's endpoints and every {@link CallbackEndpoint} bean
     * of the application's own.
     */
    @Bean
    @ConditionalOnMissingBean
    CallbackRouter callbackRouter(CallbackKitProperties properties, CallbackKitStore store,
            ObjectProvider<ProviderEndpoints> modules, ObjectProvider<CallbackEndpoint> ownEndpoints,
            ObjectProvider<Clock> clock) {
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        modules.orderedStream().forEach(module -> endpoints.addAll(module.endpoints()));
        ownEndpoints.orderedStream().forEach(endpoints::add);
        if (endpoints.isEmpty()) {
            throw new IllegalStateException("Callback Kit has no callback endpoint: set a provider's credentials"
                    + " (callbackkit.klarna.merchant-id, callbackkit.blockonomics.secret, callbackkit.ecster.api-key or"
                    + " callbackkit.avarda.client-id) and write its listener bean, declare a CallbackEndpoint bean,"
                    + " or switch Callback Kit off with callbackkit.enabled=false");
        }
        CallbackRouter.Builder router = CallbackRouter.builder()
                .endpoints(endpoints)
                .journal(store.journal())
                .clock(clock.getIfUnique(Clock::systemUTC))
                .maxBodyBytes(Math.toIntExact(properties.getLimits().getMaxBody().toBytes()))
                .maxQueryParameters(properties.getLimits().getMaxQueryParameters());
        CallbackKitProperties.Journal journal = properties.getJournal();
        if (journal.getKeepBodiesFor() != null) {
            router.keepBodies(journal.getKeepBodiesFor(), journal.getKeepBodiesMax());
        }
        if (journal.getFingerprintKey() != null) {
            router.fingerprintKey(journal.getFingerprintKey().getBytes(StandardCharsets.UTF_8));
        }
        return router.build();
    }

    /** The servlet and, when allowed, the journal page. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Servlets {

        @Bean
        @ConditionalOnMissingBean(name = "callbackServlet")
        ServletRegistrationBean<CallbackServlet> callbackServlet(CallbackKitProperties properties, CallbackRouter router) {
            String mount = MountPath.check("callbackkit.path", properties.getPath());
            ServletRegistrationBean<CallbackServlet> registration =
                    new ServletRegistrationBean<>(new MarkingCallbackServlet(router), mount + "/*");
            registration.setName("callbackServlet");
            return registration;
        }

        /** Keeps the container's error page (and the security in front of it) away from callbacks. */
        @Bean
        @ConditionalOnMissingBean(name = "callbackErrorFilter")
        FilterRegistrationBean<CallbackErrorFilter> callbackErrorFilter(CallbackKitProperties properties,
                CallbackRouter router) {
            Refusals refusals = new Refusals(router, MountPath.check("callbackkit.path", properties.getPath()));
            FilterRegistrationBean<CallbackErrorFilter> registration =
                    new FilterRegistrationBean<>(new CallbackErrorFilter(refusals));
            registration.addUrlPatterns("/*");
            registration.setName("callbackErrorFilter");
            registration.setDispatcherTypes(DispatcherType.ERROR);
            registration.setOrder(ERROR_FILTER_ORDER);
            return registration;
        }

        /** The journal page, only when the application said who may see it: it shows customer data. */
        @Bean
        @ConditionalOnMissingBean(name = "callbackJournalServlet")
        @Conditional(JournalPageAllowed.class)
        ServletRegistrationBean<JournalServlet> callbackJournalServlet(CallbackKitProperties properties,
                CallbackRouter router, CallbackKitStore store, ObjectProvider<CallbackJournalAuthorization> authorization,
                ObjectProvider<Clock> clock) {
            CallbackJournalAuthorization check = authorization.getIfUnique();
            String role = properties.getJournal().getRole();
            String mount = MountPath.check("callbackkit.journal.path", properties.getJournal().getPath());
            JournalServlet.Builder page = JournalServlet.builder(router.journal())
                    .classifier(StatusClassifier.expert(router.endpoints()))
                    .scheduler(store.scheduler()) // the delayed-work view and "run now"
                    .router(router) // "re-dispatch", where callbackkit.journal.keep-bodies-for is set
                    .clock(clock.getIfUnique(Clock::systemUTC));
            if (properties.getJournal().getZone() != null) {
                page.zone(properties.getJournal().getZone());
            }
            page.authorization(check != null ? check::mayView : request -> request.isUserInRole(role));
            ServletRegistrationBean<JournalServlet> registration = new ServletRegistrationBean<>(page.build(), mount + "/*");
            registration.setName("callbackJournalServlet");
            return registration;
        }
    }

    /** A role in {@code callbackkit.journal.role}, or a {@link CallbackJournalAuthorization} bean. */
    static final class JournalPageAllowed extends AnyNestedCondition {

        JournalPageAllowed() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "callbackkit.journal", name = "role")
        static final class RoleGiven {
        }

        @ConditionalOnBean(CallbackJournalAuthorization.class)
        static final class AuthorizationBean {
        }
    }
}
