/**
 * Test support, not for production code: builders of the callbacks Blockonomics sends and a
 * scriptable fake of its API ({@code monitor_tx}).
 *
 * <p>Shipped in the main jar, as Micrometer's {@code MockClock} and db-scheduler's
 * {@code ManualScheduler} are, so that a shop's own test suite can use it with no extra
 * dependency. Nothing here is meant to run in a live shop: the fakes answer on 127.0.0.1 and keep
 * everything in memory.
 */
package org.callbackkit.blockonomics.testing;
