package org.callbackkit.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator: {@code callbackKit} in {@code /actuator/health}. DOWN when delayed actions are
 * overdue (due longer ago than {@code callbackkit.store.overdue-after}: the work stopped running)
 * or the store's database does not answer; dead actions are counted in the details but do not
 * make it DOWN, since no restart revives them: a person looks at {@code scheduler.dead()}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
class CallbackKitHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "callbackKitHealthIndicator")
    HealthIndicator callbackKitHealthIndicator(CallbackKitStore store) {
        return () -> health(store);
    }

    static Health health(CallbackKitStore store) {
        SchedulerHealth scheduler = store.scheduler().health();
        Map<String, Object> storeDetails = store.details();
        boolean reachable = storeDetails.isEmpty() ? store.reachable()
                : Boolean.TRUE.equals(storeDetails.get("databaseUp"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.type());
        details.put("pending", scheduler.pending());
        details.put("overdue", scheduler.overdue());
        details.put("running", scheduler.running());
        details.put("dead", scheduler.dead());
        scheduler.oldestOverdueSince().ifPresent(since -> details.put("oldestOverdueSince", since.toString()));
        details.putAll(storeDetails);
        Health.Builder health = scheduler.overdue() > 0 || !reachable ? Health.down() : Health.up();
        return health.withDetails(details).build();
    }
}
