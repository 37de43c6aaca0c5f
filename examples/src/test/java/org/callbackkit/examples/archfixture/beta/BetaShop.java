package org.callbackkit.examples.archfixture.beta;

import org.callbackkit.examples.archfixture.core.testing.FakeThing;

/** A fixture provider module's main class that uses core's test fakes: forbidden. */
public class BetaShop {
    FakeThing fake;
}
