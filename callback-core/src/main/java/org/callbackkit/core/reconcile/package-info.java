/**
 * The order-reconciliation engine: the loop every provider that settles an order later runs,
 * written once. A provider module supplies an {@link org.callbackkit.core.reconcile.OrderFlow}
 * (how to read the provider's order, find the shop's, the pure decision, how to tell the host) and
 * builds a {@link org.callbackkit.core.reconcile.Reconciler} on a scheduler and a state store,
 * usually through {@link org.callbackkit.core.reconcile.ProviderModuleBuilder}. The callback
 * handler calls {@code accept(key, hint)} and answers at once; the delayed action and the browser's
 * confirmation call the same {@code settle(key)}, which decides, tells the host once and records
 * it inside {@link org.callbackkit.core.state.StateStore#update} of the order's key: atomic on every node
 * sharing the store. See docs/reconciliation-engine.md for the whole flow and a complete example.
 */
package org.callbackkit.core.reconcile;
