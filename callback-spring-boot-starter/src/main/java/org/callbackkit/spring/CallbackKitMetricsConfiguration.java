package org.callbackkit.spring;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.ProviderApiListener;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.state.IdempotencyStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.micrometer.CallbackMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer's meters for Callback Kit ({@link CallbackMetrics}: callbacks, latency, delayed
 * actions, action runs, provider API calls), on the application's {@link MeterRegistry}, when
 * callback-micrometer and Micrometer are on the classpath and the application has a registry
 * (Actuator gives one). The store's journal and scheduler are wrapped before any module or the
 * router takes them, so every callback, action and API call is counted on the one path it takes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({MeterRegistry.class, CallbackMetrics.class})
class CallbackKitMetricsConfiguration {

    /** Wraps the {@link CallbackKitStore} bean in one whose journal and scheduler count. */
    @Bean
    static MeteredStores callbackKitMeteredStores(ObjectProvider<MeterRegistry> registry) {
        return new MeteredStores(registry);
    }

    /** Provider API calls, counted by the same metrics; a no-op without a registry. */
    @Bean
    ProviderApiListener callbackKitApiListener(MeteredStores stores) {
        return call -> stores.metrics().ifPresent(metrics -> metrics.apiListener().onCall(call));
    }

    /** The post-processor; one {@link CallbackMetrics} on the registry, made when first needed. */
    static final class MeteredStores implements BeanPostProcessor {
        private final ObjectProvider<MeterRegistry> registry;
        private volatile Optional<CallbackMetrics> metrics;

        MeteredStores(ObjectProvider<MeterRegistry> registry) {
            this.registry = registry;
        }

        Optional<CallbackMetrics> metrics() {
            Optional<CallbackMetrics> made = metrics;
            if (made == null) {
                synchronized (this) {
                    if (metrics == null) {
                        metrics = Optional.ofNullable(registry.getIfUnique()).map(CallbackMetrics::new);
                    }
                    made = metrics;
                }
            }
            return made;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof CallbackKitStore store && !(bean instanceof Metered)) {
                return metrics().<Object>map(m -> new Metered(store, m.journal(store.journal()),
                        m.scheduler(store.scheduler()))).orElse(bean);
            }
            return bean;
        }
    }

    /** The store, with the counting journal and scheduler in place of its own. */
    private record Metered(CallbackKitStore store, CallbackJournal journal, DelayedActionScheduler scheduler)
            implements ManagedStore {
        @Override
        public void start() {
            if (store instanceof ManagedStore managed) {
                managed.start();
            }
        }

        @Override
        public String type() {
            return store.type();
        }

        @Override
        public StateStore stateStore() {
            return store.stateStore();
        }

        @Override
        public IdempotencyStore idempotencyStore() {
            return store.idempotencyStore();
        }

        @Override
        public boolean reachable() {
            return store.reachable();
        }

        @Override
        public Map<String, Object> details() {
            return store.details();
        }

        @Override
        public int runDue() {
            return store.runDue();
        }

        @Override
        public void close() {
            if (store instanceof ManagedStore managed) {
                managed.close();
            }
        }
    }
}
