package org.callbackkit.examples.archfixture.alpha.testing;

import org.callbackkit.examples.archfixture.core.testing.FakeThing;

/** A fixture provider module's testing package built on core's fakes: allowed. */
public class AlphaFakes {
    FakeThing fake;
}
