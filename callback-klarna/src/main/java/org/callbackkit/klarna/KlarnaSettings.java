package org.callbackkit.klarna;

import java.time.Clock;
import org.callbackkit.core.journal.CallbackJournal;

/**
 * What the module's parts share once built.
 *
 * @param name the module's name: action types and state scopes start with it
 * @param provider the provider journaled, {@code klarna} or {@code kustom}
 * @param pathPrefix where the endpoints are mounted below the servlet
 */
record KlarnaSettings(String name, String provider, String pathPrefix, KlarnaApi api, KlarnaShop shop,
        CallbackJournal journal, Clock clock, long amountTolerance) {
}
