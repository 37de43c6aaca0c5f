package org.callbackkit.spring;

import java.time.Clock;
import java.util.Locale;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.AvardaCredentials;
import org.callbackkit.avarda.AvardaEnvironment;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.OrderHookListener;
import org.callbackkit.core.ProviderApiListener;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.EcsterCredentials;
import org.callbackkit.ecster.EcsterEnvironment;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCheckoutAnswer;
import org.callbackkit.klarna.KlarnaCheckoutUpdates;
import org.callbackkit.klarna.KlarnaCredentials;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaErrorType;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaRegion;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One configuration per provider module, each on when the module is on the classpath and its
 * credentials (or secret) are set. The listener bean is then required: without it startup fails
 * with {@link ListenerMissingException}, naming the type to write. Each module bean is also
 * available to the application (e.g. {@code KlarnaCallbacks.confirmOrder} on the confirmation page).
 */
final class ProviderConfigurations {

    private ProviderConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.callbackkit.klarna.KlarnaCallbacks")
    @ConditionalOnProperty(prefix = "callbackkit.klarna", name = "merchant-id")
    static class Klarna {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        KlarnaCallbacks klarnaCallbacks(CallbackKitProperties properties, CallbackKitStore store,
                ObjectProvider<KlarnaShop> shop, ObjectProvider<KlarnaValidator> validator,
                ObjectProvider<KlarnaCheckoutUpdates> updates, ObjectProvider<Clock> clock,
                ObjectProvider<ProviderApiListener> apiListener) {
            CallbackKitProperties.Klarna klarna = properties.getKlarna();
            KlarnaShop listener = shop.getIfUnique();
            if (listener == null) {
                throw new ListenerMissingException("callbackkit.klarna.merchant-id", KlarnaShop.class.getName(),
                        "findOrder, confirm, mismatch");
            }
            KlarnaCallbacks.Builder builder = KlarnaCallbacks.builder()
                    .credentials(new KlarnaCredentials(klarna.getMerchantId(), required(klarna.getSharedSecret(),
                            "callbackkit.klarna.shared-secret")))
                    .environment(parse(KlarnaEnvironment.class, "callbackkit.klarna.environment", klarna.getEnvironment()))
                    .region(parse(KlarnaRegion.class, "callbackkit.klarna.region", klarna.getRegion()))
                    .shop(listener)
                    .scheduler(store.scheduler())
                    .stateStore(store.stateStore())
                    .journal(store.journal())
                    .clock(clock.getIfUnique(Clock::systemUTC));
            if (klarna.getFlavour() != null) {
                builder.flavour(parse(KlarnaFlavour.class, "callbackkit.klarna.flavour", klarna.getFlavour()));
            }
            if (klarna.getApiBaseUri() != null) {
                builder.apiBaseUri(klarna.getApiBaseUri());
            }
            KlarnaValidator check = validator.getIfUnique();
            if (check != null) {
                builder.validator(check, validatorFallback(klarna.getValidatorFallback()));
            }
            KlarnaCheckoutUpdates update = updates.getIfUnique();
            if (update != null) {
                builder.checkoutUpdates(update);
            }
            everyListener(apiListener).ifPresent(builder::apiListener);
            return builder.build();
        }

        @Bean
        ProviderEndpoints klarnaEndpoints(KlarnaCallbacks klarna) {
            return new ProviderEndpoints(klarna.flavour().provider(), klarna.endpoints());
        }

        private static KlarnaCheckoutAnswer validatorFallback(String fallback) {
            if (fallback == null) {
                throw new IllegalStateException("A KlarnaValidator bean needs callbackkit.klarna.validator-fallback:"
                        + " APPROVE (keep the sale when the validator fails, as Klarna does without an answer) or"
                        + " REJECT (fail closed, when validation guards stock or limits)");
            }
            return switch (fallback.trim().toUpperCase(Locale.ROOT)) {
                case "APPROVE" -> KlarnaCheckoutAnswer.approve();
                case "REJECT" -> KlarnaCheckoutAnswer.reject(KlarnaErrorType.APPROVAL_FAILED,
                        "We could not check your order just now. Please try again.");
                default -> throw new IllegalStateException(
                        "callbackkit.klarna.validator-fallback must be APPROVE or REJECT: " + fallback);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.callbackkit.blockonomics.BlockonomicsCallbacks")
    @ConditionalOnProperty(prefix = "callbackkit.blockonomics", name = "secret")
    static class Blockonomics {

        @Bean
        @ConditionalOnMissingBean
        BlockonomicsCallbacks blockonomicsCallbacks(CallbackKitProperties properties, CallbackKitStore store,
                ObjectProvider<BlockonomicsShop> shop, ObjectProvider<OrderHookListener> orderHooks) {
            CallbackKitProperties.Blockonomics blockonomics = properties.getBlockonomics();
            BlockonomicsShop listener = shop.getIfUnique();
            OrderHookListener hooks = orderHooks.getIfUnique();
            if (listener == null && hooks == null) {
                throw new ListenerMissingException("callbackkit.blockonomics.secret", BlockonomicsShop.class.getName(),
                        "findOrder, onPayment; or an OrderHookListener for payment buttons");
            }
            BlockonomicsCallbacks.Builder builder = BlockonomicsCallbacks.builder()
                    .secret(blockonomics.getSecret())
                    .confirmationsRequired(blockonomics.getConfirmationsRequired())
                    .underpaymentSlackPercent(blockonomics.getUnderpaymentSlackPercent())
                    .refusePaymentsWithoutOrder(blockonomics.isRefusePaymentsWithoutOrder())
                    .stateStore(store.stateStore());
            if (blockonomics.getPreviousSecret() != null) {
                builder.previousSecret(blockonomics.getPreviousSecret());
            }
            if (listener != null) {
                builder.shop(listener);
            }
            if (hooks != null) {
                builder.orderHooks(hooks);
            }
            return builder.build();
        }

        @Bean
        ProviderEndpoints blockonomicsEndpoints(BlockonomicsCallbacks blockonomics) {
            return new ProviderEndpoints("blockonomics", blockonomics.endpoints());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.callbackkit.ecster.EcsterCallbacks")
    @ConditionalOnProperty(prefix = "callbackkit.ecster", name = "api-key")
    static class Ecster {

        @Bean
        @ConditionalOnMissingBean
        EcsterCallbacks ecsterCallbacks(CallbackKitProperties properties, CallbackKitStore store,
                ObjectProvider<EcsterShop> shop, ObjectProvider<Clock> clock,
                ObjectProvider<ProviderApiListener> apiListener) {
            CallbackKitProperties.Ecster ecster = properties.getEcster();
            EcsterShop listener = shop.getIfUnique();
            if (listener == null) {
                throw new ListenerMissingException("callbackkit.ecster.api-key", EcsterShop.class.getName(),
                        "findOrder, onStateChange");
            }
            EcsterCallbacks.Builder builder = EcsterCallbacks.builder()
                    .credentials(new EcsterCredentials(ecster.getApiKey(),
                            required(ecster.getMerchantKey(), "callbackkit.ecster.merchant-key")))
                    .environment(parse(EcsterEnvironment.class, "callbackkit.ecster.environment", ecster.getEnvironment()))
                    .shop(listener)
                    .scheduler(store.scheduler())
                    .stateStore(store.stateStore())
                    .journal(store.journal())
                    .clock(clock.getIfUnique(Clock::systemUTC));
            if (ecster.getSharedHeaderName() != null) {
                builder.sharedHeader(ecster.getSharedHeaderName(),
                        required(ecster.getSharedHeaderValue(), "callbackkit.ecster.shared-header-value"));
            }
            if (ecster.getApiBaseUri() != null) {
                builder.apiBaseUri(ecster.getApiBaseUri());
            }
            everyListener(apiListener).ifPresent(builder::apiListener);
            return builder.build();
        }

        @Bean
        ProviderEndpoints ecsterEndpoints(EcsterCallbacks ecster) {
            return new ProviderEndpoints("ecster", ecster.endpoints());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.callbackkit.avarda.AvardaCallbacks")
    @ConditionalOnProperty(prefix = "callbackkit.avarda", name = "client-id")
    static class Avarda {

        @Bean
        @ConditionalOnMissingBean
        AvardaCallbacks avardaCallbacks(CallbackKitProperties properties, CallbackKitStore store,
                ObjectProvider<AvardaShop> shop, ObjectProvider<Clock> clock,
                ObjectProvider<ProviderApiListener> apiListener) {
            CallbackKitProperties.Avarda avarda = properties.getAvarda();
            AvardaShop listener = shop.getIfUnique();
            if (listener == null) {
                throw new ListenerMissingException("callbackkit.avarda.client-id", AvardaShop.class.getName(),
                        "findOrder, onStateChange");
            }
            AvardaCallbacks.Builder builder = AvardaCallbacks.builder()
                    .credentials(new AvardaCredentials(avarda.getClientId(),
                            required(avarda.getClientSecret(), "callbackkit.avarda.client-secret")))
                    .environment(parse(AvardaEnvironment.class, "callbackkit.avarda.environment", avarda.getEnvironment()))
                    .shop(listener)
                    .scheduler(store.scheduler())
                    .stateStore(store.stateStore())
                    .journal(store.journal())
                    .clock(clock.getIfUnique(Clock::systemUTC));
            if (avarda.getAuthorization() != null) {
                builder.authorization(avarda.getAuthorization());
            }
            if (avarda.getApiBaseUri() != null) {
                builder.apiBaseUri(avarda.getApiBaseUri());
            }
            everyListener(apiListener).ifPresent(builder::apiListener);
            return builder.build();
        }

        @Bean
        ProviderEndpoints avardaEndpoints(AvardaCallbacks avarda) {
            return new ProviderEndpoints("avarda", avarda.endpoints());
        }
    }

    static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is required");
        }
        return value;
    }

    static <E extends Enum<E>> E parse(Class<E> type, String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is required: one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ": " + value, e);
        }
    }

    /** Every {@link ProviderApiListener} bean (Micrometer's, the application's own) as one; empty when there is none. */
    static java.util.Optional<ProviderApiListener> everyListener(ObjectProvider<ProviderApiListener> listeners) {
        java.util.List<ProviderApiListener> all = listeners.orderedStream().toList();
        return all.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(call -> all.forEach(listener -> listener.onCall(call)));
    }
}
