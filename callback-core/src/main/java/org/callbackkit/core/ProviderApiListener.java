package org.callbackkit.core;

/**
 * Told of every call a provider module makes to its provider's API through {@link ProviderHttp}:
 * the hook that metrics ({@code callback-micrometer}) and logging of API calls use. Give it to a
 * provider module's builder ({@code apiListener(...)}); a module given a ready-made API (a test
 * fake) makes no HTTP calls and tells nothing.
 *
 * <p>Called once per call, on the thread that made it, after the answer (or the failure) and
 * before the module looks at the answer: keep it quick. Anything it throws is logged and
 * ignored, so a broken listener never fails a call.
 */
@FunctionalInterface
public interface ProviderApiListener {

    /** One call ended, answered or not. */
    void onCall(ProviderApiCall call);
}
