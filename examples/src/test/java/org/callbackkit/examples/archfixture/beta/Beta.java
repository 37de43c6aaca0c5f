package org.callbackkit.examples.archfixture.beta;

/** A fixture "provider module" that depends on nothing. */
public class Beta {
}
