package org.callbackkit.examples.archfixture.core;

import org.callbackkit.examples.archfixture.core.intake.IntakeThing;

/** A fixture class in core's root package that knows a concern's package: forbidden. */
public class RootThing {
    IntakeThing intake;
}
