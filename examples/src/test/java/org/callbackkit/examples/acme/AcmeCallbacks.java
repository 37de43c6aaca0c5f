package org.callbackkit.examples.acme;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.ProviderHttp;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.reconcile.Decision;
import org.callbackkit.core.reconcile.OrderFlow;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.ProviderModuleBuilder;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.core.reconcile.Source;

// tag::provider[]
/** A provider module for "Acme Pay", whose notification says only "look at order X". */
public final class AcmeCallbacks {

    /** What the host implements: find its order, be told it is paid. */
    public interface AcmeShop {
        Optional<String> findOrder(String acmeOrderId);

        void paid(String acmeOrderId, String shopOrder, Source source);
    }

    /** An order as Acme's API reports it. */
    public record AcmeOrder(String id, String status) {
    }

    /** Acme's API: the order, read from Acme, never taken from the callback. */
    public interface AcmeApi {
        AcmeOrder getOrder(String acmeOrderId);
    }

    /** The provider's part of the engine: find, fetch, a pure decision, and telling the shop. */
    private record Flow(AcmeApi api, AcmeShop shop) implements OrderFlow<AcmeOrder, String, String> {
        @Override
        public String name() {
            return "acme.notification";
        }

        @Override
        public Optional<String> findShopOrder(String key, Optional<String> hint) {
            return shop.findOrder(key);
        }

        @Override
        public AcmeOrder fetch(String key) {
            return api.getOrder(key);
        }

        @Override
        public Decision<String> decide(AcmeOrder order, Optional<String> shopOrder, OrderState state) {
            if (shopOrder.isEmpty()) {
                return Decision.waitFor("the shop has no order for Acme order " + order.id() + " yet");
            }
            return order.status().equals("PAID") ? Decision.settle("paid", "paid as shop order " + shopOrder.get())
                    : Decision.waitFor("Acme says " + UntrustedText.printable(order.status()));
        }

        @Override
        public void tell(String event, AcmeOrder order, String shopOrder, Source source) {
            shop.paid(order.id(), shopOrder, source);
        }
    }

    private final Reconciler<AcmeOrder, String, String> engine;

    private AcmeCallbacks(Reconciler<AcmeOrder, String, String> engine) {
        this.engine = engine;
    }

    /** The endpoint to mount: POST /acme/notification with {"orderId":"..."}. */
    public List<CallbackEndpoint> endpoints() {
        return List.of(CallbackEndpoint.builder("acme", "notification").path("/acme/notification").methods("POST")
                .contentTypes("application/json").handler(this::notification).build());
    }

    /** The shopper's return page: the same code path as the callback. */
    public Settlement confirmOrder(String acmeOrderId) {
        return engine.settle(UntrustedText.requirePathSegmentId(acmeOrderId, "Acme order id"));
    }

    private CallbackResponse notification(CallbackRequest request) {
        String orderId = CallbackJson.text(CallbackJson.readObject(request), "orderId");
        if (!UntrustedText.isPathSegmentId(orderId)) {
            throw new InvalidCallbackException("orderId must be an Acme order id");
        }
        return engine.accept(orderId, Optional.empty()).isPresent() ? CallbackResponse.ok()
                : CallbackResponse.duplicate();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Acme has one environment (its base URI is given) and an API key as credentials. */
    public static final class Builder extends ProviderModuleBuilder<Builder, AcmeApi, URI, String, AcmeShop> {
        private Builder() {
            super("acme", "notification", "/acme/notification", Duration.ofSeconds(30));
        }

        public AcmeCallbacks build() {
            AcmeApi api = api(environment(), "environment is required: Acme's API base", http -> id -> {
                String body = http.sendForBody(http.request("orders/" + id).header("X-Api-Key", credentials()).GET()
                        .build(), "Acme GET /orders/" + id, id, error -> ProviderHttp.Problem.NONE);
                return new AcmeOrder(id, CallbackJson.text(CallbackJson.parseObject(body, "Acme order"), "status"));
            });
            return new AcmeCallbacks(reconciler(new Flow(api, shop()), RetrySchedule.fixed(Duration.ofMinutes(5), 12)));
        }
    }
}
// end::provider[]
