package io.bytekeep.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The machine's services the integration tests use, and free ports for in-process ones. */
public final class TestServices {

    /** Override with BYTEKEEP_TEST_DATABASE to run two checkouts' suites against one PostgreSQL without clashing. */
    public static final String DATABASE = System.getenv().getOrDefault("BYTEKEEP_TEST_DATABASE", "bytekeep_test");
    private TestServices() {
    }

    public static synchronized void ensureDatabase() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            var exists = admin.prepareStatement("select 1 from pg_database where datname = ?");
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                admin.createStatement().execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the integration tests "
                    + "(.ci/run starts it): " + e.getMessage(), e);
        }
    }

    /**
     * The Vault's tables: raw files and their metadata, mime types and their counters, proofs, the event outbox, pack
     * intents, and where the sweeps' listings go on.
     */
    public static final List<String> VAULT_TABLES = List.of("normalizer_meta", "raw_file_mime_type", "raw_mime_type_count",
            "raw_file_proof", "proof_batch", "raw_file", "boefje_meta", "outbox_event", "raw_object_intent", "listing_position");

    /**
     * Empties the Vault's tables in {@link #DATABASE} before a prod-profile process starts on it: the database is shared
     * with earlier runs, which may have left it at an older schema (the process migrates it; absent tables are skipped).
     */
    public static void emptyVault() {
        ensureDatabase();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "")) {
            List<String> present = new ArrayList<>();
            for (String table : VAULT_TABLES) {
                var exists = db.prepareStatement("select to_regclass(?) is not null");
                exists.setString(1, table);
                var result = exists.executeQuery();
                result.next();
                if (result.getBoolean(1)) {
                    present.add(table);
                }
            }
            if (!present.isEmpty()) {
                db.createStatement().execute("truncate table " + String.join(", ", present) + " cascade");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the integration tests: " + e.getMessage(), e);
        }
    }

    /** An empty database of the test's own beside {@link #DATABASE} (dropped first if a previous run left it). */
    public static String freshDatabase(String suffix) {
        String name = DATABASE + "_" + suffix;
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            admin.createStatement().execute("drop database if exists " + name + " with (force)");
            admin.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 is needed for the integration tests: " + e.getMessage(), e);
        }
        return name;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
