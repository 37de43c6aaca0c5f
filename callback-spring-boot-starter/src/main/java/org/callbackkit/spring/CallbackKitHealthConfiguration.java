package org.callbackkit.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator: {@code callbackKit} in {@code /actuator/health}. DOWN when delayed actions are
 * overdue (due longer ago than {@code callbackkit.store.overdue-after}: the work stopped running)
 * or the store's database does not answer; dead actions are counted in the details but do not
 * make it DOWN, since no restart revives them: a person looks at {@code scheduler.dead()}. While
 * the database is out it is DOWN with what the store spooled, never an exception. Switched off,
 * as any Actuator indicator, with {@code management.health.callbackkit.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
class CallbackKitHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "callbackKitHealthIndicator")
    @ConditionalOnProperty(name = "management.health.callbackkit.enabled", matchIfMissing = true)
    HealthIndicator callbackKitHealthIndicator(CallbackKitStore store) {
        return () -> health(store);
    }

    static Health health(CallbackKitStore store) {
        Map<String, Object> storeDetails = store.details();
        boolean reachable = storeDetails.isEmpty() ? store.reachable()
                : Boolean.TRUE.equals(storeDetails.get("databaseUp"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.type());
        SchedulerHealth scheduler;
        try { // the scheduler's counts are in the database too: an outage must read DOWN, not fail the endpoint
            scheduler = reachable ? store.scheduler().health() : null;
        } catch (RuntimeException e) {
            scheduler = null;
            details.put("error", e.getMessage());
        }
        if (scheduler == null) {
            details.putAll(storeDetails);
            return Health.down().withDetails(details).build();
        }
        details.put("pending", scheduler.pending());
        details.put("overdue", scheduler.overdue());
        details.put("running", scheduler.running());
        details.put("dead", scheduler.dead());
        scheduler.oldestOverdueSince().ifPresent(since -> details.put("oldestOverdueSince", since.toString()));
        details.putAll(storeDetails);
        Health.Builder health = scheduler.overdue() > 0 ? Health.down() : Health.up();
        return health.withDetails(details).build();
    }
}
