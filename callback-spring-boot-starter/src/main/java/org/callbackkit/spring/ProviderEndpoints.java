package org.callbackkit.spring;

import java.util.List;
import org.callbackkit.core.intake.CallbackEndpoint;

/** One provider module's endpoints, as a bean, so the router takes every module's without naming it. */
record ProviderEndpoints(String provider, List<CallbackEndpoint> endpoints) {
}
