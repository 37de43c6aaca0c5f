package org.callbackkit.examples;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.avarda.AvardaShop;
import org.callbackkit.avarda.AvardaShopOrder;
import org.callbackkit.avarda.AvardaStateChange;
import org.callbackkit.blockonomics.BlockonomicsCallback;
import org.callbackkit.blockonomics.BlockonomicsShop;
import org.callbackkit.blockonomics.Crypto;
import org.callbackkit.blockonomics.ExpectedPayment;
import org.callbackkit.blockonomics.PaymentEvent;
import org.callbackkit.core.reconcile.Source;
import org.callbackkit.ecster.EcsterOrderState;
import org.callbackkit.ecster.EcsterShop;
import org.callbackkit.ecster.EcsterShopOrder;
import org.callbackkit.ecster.EcsterStateChange;
import org.callbackkit.klarna.FraudEvent;
import org.callbackkit.klarna.FraudStatus;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.KlarnaShop;
import org.callbackkit.klarna.KlarnaShopOrder;

/**
 * The soak test's shop: its orders, keyed by the provider's id for them, and the host side of
 * every provider module. Its state is idempotent the way a real shop's is (an order paid twice is
 * still paid), but it counts every report a module makes, so that a module reporting one payment
 * twice shows as {@code paidReports == 2}; and it records as a violation everything a module must
 * never do (a downgrade after paid, a mismatch, an event the plan cannot cause). Thread-safe: one
 * lock over all orders, held only for bookkeeping.
 */
final class SoakShop implements KlarnaShop {

    enum Provider { KLARNA, ECSTER, AVARDA, BLOCKONOMICS }

    enum Status { NEW, ON_HOLD, PAID }

    /** One shop order; every field is guarded by the shop's lock. */
    static final class Order {
        final Provider provider;
        final String providerId;
        final String reference;
        final long amount;
        boolean exists;
        Status status = Status.NEW;
        /** Reports that the order is paid: Klarna confirmations with ACCEPTED, Ecster and Avarda PAID, Blockonomics PAID. */
        int paidReports;
        /** Klarna only: {@code confirm} calls, whatever the fraud status. */
        int confirmations;
        /** Klarna only: {@code fraudDecision} calls. */
        int fraudDecisions;
        /** Reports of anything else (Ecster PENDING, Blockonomics DETECTED). */
        int otherReports;

        Order(Provider provider, String providerId, String reference, long amount) {
            this.provider = provider;
            this.providerId = providerId;
            this.reference = reference;
            this.amount = amount;
        }

        @Override
        public String toString() {
            return provider + " " + providerId + " (shop order " + reference + ", " + status + ", paid reports "
                    + paidReports + (provider == Provider.KLARNA ? ", confirmations " + confirmations
                            + ", fraud decisions " + fraudDecisions : "") + ")";
        }
    }

    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** Adds an order the shop does not know yet: {@link #create} makes it visible to the modules. */
    synchronized Order add(Provider provider, String providerId, long amount) {
        Order order = new Order(provider, providerId, provider.name().toLowerCase(Locale.ROOT).charAt(0)
                + "-" + (orders.size() + 1), amount);
        if (orders.putIfAbsent(providerId, order) != null) {
            throw new IllegalArgumentException("two orders for " + providerId);
        }
        return order;
    }

    /** The shop creates its order (at cart creation, or late: a shop order not there yet). */
    synchronized void create(String providerId) {
        orders.get(providerId).exists = true;
    }

    synchronized List<Order> orders() {
        return List.copyOf(orders.values());
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    private Optional<Order> existing(String providerId) {
        Order order = orders.get(providerId);
        return order != null && order.exists ? Optional.of(order) : Optional.empty();
    }

    private void paid(Order order, String how) {
        order.paidReports++;
        if (order.paidReports > 1) {
            violations.add(order.provider + " " + order.providerId + " reported paid again (" + how + ")");
        }
        order.status = Status.PAID;
    }

    private void violation(Order order, String what) {
        violations.add(order.provider + " " + order.providerId + ": " + what);
    }

    // ---- Klarna -----------------------------------------------------------------------------

    @Override
    public synchronized Optional<KlarnaShopOrder> findOrder(String klarnaOrderId) {
        return existing(klarnaOrderId).map(order -> new KlarnaShopOrder(order.reference, "SEK", order.amount,
                List.of(new KlarnaShopOrder.Line(SoakTest.SKU, 1)), order.status != Status.NEW));
    }

    @Override
    public synchronized void confirm(KlarnaOrder klarnaOrder, KlarnaShopOrder shopOrder, Source source) {
        Order order = orders.get(klarnaOrder.orderId());
        order.confirmations++;
        if (order.status != Status.NEW) {
            violation(order, "confirmed again by " + source + " when " + order.status);
        }
        if (klarnaOrder.fraudStatus() == FraudStatus.ACCEPTED) {
            paid(order, "confirmed by " + source);
        } else {
            order.status = Status.ON_HOLD;
        }
    }

    @Override
    public synchronized void mismatch(KlarnaOrder klarnaOrder, KlarnaShopOrder shopOrder, List<String> differences) {
        violation(orders.get(klarnaOrder.orderId()), "mismatch " + differences);
    }

    @Override
    public synchronized void fraudDecision(KlarnaOrder klarnaOrder, KlarnaShopOrder shopOrder, FraudEvent event) {
        Order order = orders.get(klarnaOrder.orderId());
        order.fraudDecisions++;
        if (event != FraudEvent.FRAUD_RISK_ACCEPTED || klarnaOrder.fraudStatus() != FraudStatus.ACCEPTED) {
            violation(order, "fraud decision " + event + " with status " + klarnaOrder.fraudStatusValue());
        } else if (order.status == Status.ON_HOLD) {
            paid(order, "fraud risk accepted");
        }
    }

    // ---- Ecster -----------------------------------------------------------------------------

    /** This shop as Blockonomics' module sees it. */
    BlockonomicsShop blockonomics() {
        return new BlockonomicsShop() {
            @Override
            public Optional<ExpectedPayment> findOrder(BlockonomicsCallback callback) {
                return findBitcoinOrder(callback.address());
            }

            @Override
            public void onPayment(PaymentEvent event) {
                bitcoinPayment(event);
            }
        };
    }

    /** This shop as Ecster's module sees it. */
    EcsterShop ecster() {
        return new EcsterShop() {
            @Override
            public Optional<EcsterShopOrder> findOrder(String ecsterOrderId) {
                return findEcsterOrder(ecsterOrderId);
            }

            @Override
            public void onStateChange(EcsterStateChange change) {
                ecsterChanged(change);
            }
        };
    }

    /** This shop as Avarda's module sees it. */
    AvardaShop avarda() {
        return new AvardaShop() {
            @Override
            public Optional<AvardaShopOrder> findOrder(String purchaseId) {
                return findAvardaOrder(purchaseId);
            }

            @Override
            public void onStateChange(AvardaStateChange change) {
                avardaChanged(change);
            }
        };
    }

    synchronized Optional<EcsterShopOrder> findEcsterOrder(String ecsterOrderId) {
        return existing(ecsterOrderId).map(order -> new EcsterShopOrder(order.reference, order.amount, "SEK",
                order.status == Status.PAID));
    }

    synchronized void ecsterChanged(EcsterStateChange change) {
        Order order = orders.get(change.order().id());
        if (order.status == Status.PAID) {
            violation(order, "told " + change.state() + " (" + change.status() + ") after paid");
        }
        if (change.state() == EcsterOrderState.PAID) {
            paid(order, "Ecster " + change.status() + " by " + change.source());
        } else if (change.state() == EcsterOrderState.PENDING) {
            order.otherReports++;
        } else {
            violation(order, "told " + change.state() + " (" + change.status() + ")");
        }
    }

    // ---- Avarda -----------------------------------------------------------------------------

    synchronized Optional<AvardaShopOrder> findAvardaOrder(String purchaseId) {
        return existing(purchaseId).map(order -> new AvardaShopOrder(order.reference, BigDecimal.valueOf(order.amount, 2),
                "SEK", order.status == Status.PAID));
    }

    synchronized void avardaChanged(AvardaStateChange change) {
        Order order = orders.get(change.payment().purchaseId());
        if (change.kind() == AvardaStateChange.Kind.PAID) {
            paid(order, "Avarda by " + change.source());
        } else {
            violation(order, "told " + change.kind() + ": " + change.reason());
        }
    }

    // ---- Blockonomics -----------------------------------------------------------------------

    synchronized Optional<ExpectedPayment> findBitcoinOrder(String address) {
        return existing(address).map(order -> new ExpectedPayment(order.reference, Crypto.BTC, order.amount));
    }

    synchronized void bitcoinPayment(PaymentEvent event) {
        Order order = orders.get(event.callback().address());
        if (order.status == Status.PAID) {
            violation(order, "told " + event.kind() + " after paid");
        }
        switch (event.kind()) {
            case PAID -> paid(order, "status " + event.callback().status());
            case DETECTED -> order.otherReports++;
            default -> violation(order, "told " + event.kind() + ": " + event.description());
        }
    }
}
