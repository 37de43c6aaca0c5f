package org.callbackkit.spring;

import java.util.function.Supplier;
import org.apache.catalina.core.StandardHost;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.callbackkit.core.intake.CallbackRouter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/**
 * With embedded Tomcat: the connector's idle timeout and header size limit from
 * {@code callbackkit.tomcat.*} (unless {@code callbackkit.tomcat.enabled=false}), each only where the
 * application set no {@code server.tomcat.connection-timeout} or {@code server.max-http-request-header-size}
 * of its own, which wins. Tomcat
 * has one connector for the whole application, so they apply to every request. Also the host's
 * error report: requests below the mount path that Tomcat refuses before any filter runs are
 * journaled and answered with the library's JSON ({@link CallbackErrorReportValve}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat",
        "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory"})
class CallbackKitTomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> callbackKitTomcatCustomizer(CallbackKitProperties properties,
            ObjectProvider<CallbackRouter> router, Environment environment) {
        String mount = MountPath.check("callbackkit.path", properties.getPath());
        // the router is looked up when Tomcat first refuses a callback, not while the server is made
        Supplier<Refusals> refusals = SingletonSupplier.of(() -> new Refusals(router.getObject(), mount));
        // the application's own server.* settings win: ours are defaults for a shop that set none
        return new Customizer(properties.getTomcat(), refusals,
                !environment.containsProperty("server.tomcat.connection-timeout"),
                !environment.containsProperty("server.max-http-request-header-size"));
    }

    static final class Customizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        private final CallbackKitProperties.Tomcat tomcat;
        private final Supplier<Refusals> refusals;
        private final boolean idleTimeout;
        private final boolean headerSize;

        Customizer(CallbackKitProperties.Tomcat tomcat, Supplier<Refusals> refusals, boolean idleTimeout,
                boolean headerSize) {
            this.tomcat = tomcat;
            this.refusals = refusals;
            this.idleTimeout = idleTimeout;
            this.headerSize = headerSize;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            if (tomcat.isEnabled()) {
                int idleMillis = Math.toIntExact(tomcat.getIdleTimeout().toMillis());
                int headerBytes = Math.toIntExact(tomcat.getMaxHeaderSize().toBytes());
                factory.addConnectorCustomizers(connector -> {
                    if (idleTimeout && connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                        protocol.setConnectionTimeout(idleMillis);
                    }
                    if (headerSize && connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http11) {
                        http11.setMaxHttpRequestHeaderSize(headerBytes);
                    }
                });
            }
            // The host's error report valve, which Tomcat runs for requests it refuses before any
            // filter: named as the host's class so the host adds no default one beside it.
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(CallbackErrorReportValve.class.getName());
                    host.getPipeline().addValve(new CallbackErrorReportValve(refusals));
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after Boot's TomcatWebServerFactoryCustomizer (order 0)
        }
    }
}
