package org.callbackkit.spring;

/**
 * A provider module is configured ({@code callbackkit.<provider>.*} credentials are set) but the
 * application has no bean of the listener type it needs: startup fails with this, naming the type
 * to write.
 */
public final class ListenerMissingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String listenerType;
    private final String action;

    ListenerMissingException(String property, String listenerType, String methods) {
        super(property + " is set, but the application has no bean of type " + listenerType + ".");
        this.listenerType = listenerType;
        this.action = "Write one (a @Component implementing " + simpleName(listenerType) + ": " + methods
                + ") or remove the callbackkit." + property.split("\\.")[1] + ".* properties.";
    }

    /** The fully qualified name of the listener type to write, e.g. {@code org.callbackkit.klarna.KlarnaShop}. */
    public String listenerType() {
        return listenerType;
    }

    /** What to do about it, in a sentence. */
    public String action() {
        return action;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " " + action;
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
