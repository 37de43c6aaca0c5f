package org.callbackkit.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

// tag::spring-shop[]
/**
 * The demo shop on Spring Boot: this class and {@code application.properties} are all the glue.
 * callback-spring-boot-starter finds the listener beans ({@link KlarnaCheckout},
 * {@link BitcoinPayments}) and mounts Klarna and Blockonomics at {@code /callbacks}.
 */
@SpringBootApplication
public class SpringShop {
    public static void main(String[] args) {
        SpringApplication.run(SpringShop.class, args);
    }
}
// end::spring-shop[]
