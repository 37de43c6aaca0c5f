/**
 * Test support, not for production code: a clock that moves only when told ({@code MutableClock}),
 * a scheduler that runs only when told ({@code ManualDelayedActionScheduler}), request builders,
 * and the base of every provider's fake API ({@code FakeProviderServer}, in the spirit of OkHttp's
 * MockWebServer: script, run, verify).
 *
 * <p>Shipped in the main jar, as Micrometer's {@code MockClock} and db-scheduler's
 * {@code ManualScheduler} are, so that a shop's own test suite can use it with no extra
 * dependency. Nothing here is meant to run in a live shop: the fakes answer on 127.0.0.1 and keep
 * everything in memory.
 */
package org.callbackkit.core.testing;
