package org.callbackkit.examples.archfixture.alpha;

import org.callbackkit.examples.archfixture.beta.Beta;
import org.callbackkit.examples.archfixture.core.CoreThing;

/** A fixture "provider module" that depends on another one (forbidden) and on core (allowed). */
public class Alpha {
    Beta beta;
    CoreThing core;
}
