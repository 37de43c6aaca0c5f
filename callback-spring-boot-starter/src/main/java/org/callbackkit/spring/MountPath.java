package org.callbackkit.spring;

/** Checks a mount path property: {@code /segment[/segment...]}, no trailing slash, no wildcard. */
final class MountPath {

    private MountPath() {
    }

    static String check(String property, String path) {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+") || path.contains("/.")) {
            throw new IllegalStateException(property + " must be a path such as /callbacks (segments of"
                    + " letters, digits, '.', '_', '~' or '-', no trailing slash): " + path);
        }
        return path;
    }
}
