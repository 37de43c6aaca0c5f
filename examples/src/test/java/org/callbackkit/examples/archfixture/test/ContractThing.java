package org.callbackkit.examples.archfixture.test;

import org.callbackkit.examples.archfixture.core.testing.FakeThing;

/** A fixture contract in the test module (like callback-test) built on core's fakes: allowed. */
public class ContractThing {
    FakeThing fake;
}
