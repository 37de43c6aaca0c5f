package org.callbackkit.examples.archfixture.doctor;

import org.callbackkit.examples.archfixture.alpha.Alpha;

/** A fixture "application" (like callback-doctor): it may know provider modules. */
public class Doctor {
    Alpha alpha;
}
