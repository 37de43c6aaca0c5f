package org.callbackkit.spring;

import org.callbackkit.core.intake.CallbackRouter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * With Spring Security: callbacks are not the application's users. Their paths get a filter chain
 * of their own, ahead of the application's ({@link #ORDER}), that permits them without CSRF
 * tokens, sessions or saved requests (providers authenticate in the router: secrets, headers, or a
 * re-read from the provider's API). Boot's default chain, or the application's, still guards
 * everything else, the journal page included.
 *
 * <p>Requests below the mount path that Spring Security's {@code StrictHttpFirewall} refuses
 * ({@code ;jsessionid}, {@code %2F}, {@code %2e%2e}, {@code %00}, ...) are journaled and answered
 * with the library's JSON 400 by a {@link RequestRejectedHandler}; other paths get the usual 400.
 * An application with its own {@code RequestRejectedHandler} keeps it, and those refusals are then
 * not journaled.
 *
 * <p>Opt out with {@code callbackkit.security.enabled=false}, or replace the chain with a bean
 * named {@code callbackKitSecurityFilterChain}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.security.web.SecurityFilterChain")
@ConditionalOnBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
@ConditionalOnProperty(prefix = "callbackkit.security", name = "enabled", matchIfMissing = true)
class CallbackKitSecurityConfiguration {

    /** Ahead of the application's chains and Boot's (which are ordered later, most of them at the lowest precedence). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    @Bean
    @Order(ORDER)
    @ConditionalOnMissingBean(name = "callbackKitSecurityFilterChain")
    SecurityFilterChain callbackKitSecurityFilterChain(HttpSecurity http, CallbackKitProperties properties,
            CallbackRouter router) throws Exception {
        Refusals callbacks = new Refusals(router, MountPath.check("callbackkit.path", properties.getPath()));
        return http.securityMatcher(callbacks::isCallback)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean(RequestRejectedHandler.class)
    RequestRejectedHandler callbackKitRequestRejectedHandler(CallbackKitProperties properties, CallbackRouter router) {
        Refusals callbacks = new Refusals(router, MountPath.check("callbackkit.path", properties.getPath()));
        RequestRejectedHandler others = new HttpStatusRequestRejectedHandler();
        return (request, response, rejected) -> {
            if (callbacks.isCallback(request)) {
                callbacks.refuse(request, response, 400, "refused by Spring Security's firewall: " + rejected.getMessage());
            } else {
                others.handle(request, response, rejected);
            }
        };
    }
}
