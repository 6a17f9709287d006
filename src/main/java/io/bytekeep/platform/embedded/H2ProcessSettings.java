package io.bytekeep.platform.embedded;

/**
 * Settings of the embedded H2 database that H2 reads from system properties once, when its classes load, so they
 * are set before the application starts (a database URL cannot carry them). A value the operator gives with
 * {@code -D} wins.
 */
public final class H2ProcessSettings {

    /**
     * H2 looks every value it reads from a page up in a small shared cache of recent values, to share equal ones: for
     * the Vault's rows, nearly all distinct (ids, hashes, keys), a hash and compare per value and soft references for
     * the collector, for nothing. Without it the upload path took 4-6 % less CPU per upload in its own A/B, mostly in
     * H2's and the group commit's threads; one round of both H2 settings together showed no gain, within the bench
     * machine's noise (bench/results/h2-settings-ab-2026-12-06.md).
     */
    static final String OBJECT_CACHE = "h2.objectCache";

    private H2ProcessSettings() {
    }

    public static void applyUnlessGiven() {
        if (System.getProperty(OBJECT_CACHE) == null) {
            System.setProperty(OBJECT_CACHE, "false");
        }
    }
}
