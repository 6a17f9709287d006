package io.bytekeep.platform.web;

/** The version of the running jar, or "dev" when run from classes. */
final class BytekeepVersion {

    private BytekeepVersion() {
    }

    static String get() {
        String version = BytekeepVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
