package org.callbackkit.examples.archfixture.core.testing;

/** A fixture test fake, as in core's testing package. */
public class FakeThing {
}
