package org.callbackkit.examples.archfixture.core.state;

import org.callbackkit.examples.archfixture.core.CoreThing;

/** A fixture state store class that knows only core's root: allowed. */
public class StateThing {
    CoreThing root;
}
