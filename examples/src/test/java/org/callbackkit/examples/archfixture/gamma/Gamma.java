package org.callbackkit.examples.archfixture.gamma;

import org.callbackkit.examples.archfixture.doctor.Doctor;

/** A fixture "provider module" that depends on the application (forbidden). */
public class Gamma {
    Doctor doctor;
}
