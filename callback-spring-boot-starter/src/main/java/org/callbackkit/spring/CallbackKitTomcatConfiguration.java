package org.callbackkit.spring;

import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * With embedded Tomcat: the connector's idle timeout and header size limit from
 * {@code callbackkit.tomcat.*}, applied after Boot's own {@code server.tomcat.*} settings. Tomcat
 * has one connector for the whole application, so they apply to every request.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat",
        "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory"})
@ConditionalOnProperty(prefix = "callbackkit.tomcat", name = "enabled", matchIfMissing = true)
class CallbackKitTomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> callbackKitTomcatCustomizer(CallbackKitProperties properties) {
        return new Customizer(properties.getTomcat());
    }

    static final class Customizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        private final CallbackKitProperties.Tomcat tomcat;

        Customizer(CallbackKitProperties.Tomcat tomcat) {
            this.tomcat = tomcat;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            int idleMillis = Math.toIntExact(tomcat.getIdleTimeout().toMillis());
            int headerBytes = Math.toIntExact(tomcat.getMaxHeaderSize().toBytes());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setConnectionTimeout(idleMillis);
                }
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http11) {
                    http11.setMaxHttpRequestHeaderSize(headerBytes);
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after Boot's TomcatWebServerFactoryCustomizer (order 0)
        }
    }
}
