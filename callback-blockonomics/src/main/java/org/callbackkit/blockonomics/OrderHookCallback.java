package org.callbackkit.blockonomics;

import java.util.Objects;

/**
 * One Order Hook callback, as Blockonomics sends it for orders it manages itself (payment
 * buttons, payment links, hosted checkouts): {@code ?status=2&order_id=2b0c7e2cd523458098b2}
 * (formerly {@code uuid}), and nothing else of the payment: no transaction, no amount. The order's
 * details are in Blockonomics ({@code GET /api/merchant_order/{order_id}}).
 *
 * @param orderId Blockonomics' order id ({@code order_id}, or {@code uuid} as older hooks send it)
 * @param status the status as sent: -1 payment error, 0 unpaid, 1 in process, 2 paid; see {@link #state()}
 */
public record OrderHookCallback(String orderId, int status) {

    /** @throws NullPointerException if the order id is null */
    public OrderHookCallback {
        Objects.requireNonNull(orderId, "orderId");
    }

    /** What {@link #status()} means, as Blockonomics' "Order Callback" reference lists them. */
    public OrderHookState state() {
        return switch (status) {
            case -1 -> OrderHookState.PAYMENT_ERROR;
            case 0 -> OrderHookState.UNPAID;
            case 1 -> OrderHookState.IN_PROCESS;
            case 2 -> OrderHookState.PAID;
            default -> OrderHookState.UNKNOWN;
        };
    }
}
