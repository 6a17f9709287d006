import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What H2 gives back of an embedded database file (a copy of one a benchmark left behind), idle and at a clean stop:
 * opens it with the embedded default's storage settings plus {@code extra}, prints H2's own fill rates, samples the
 * file's size every 10 s for {@code idle} seconds without a statement, closes the last connection (H2 then compacts
 * for up to {@code MAX_COMPACT_TIME} ms) and prints the time that took and the size after.
 *
 * <pre>java -cp h2-2.3.232.jar bench/client/H2StopCompaction.java copy/bytekeep ";MAX_COMPACT_TIME=5000" 0</pre>
 *
 * (the database path without {@code .mv.db}; the copy is changed). Its figures are in
 * bench/results/soak-2026-12-08-h2-file-40-min.md.
 */
public final class H2StopCompaction {

    private static final String EMBEDDED_STORAGE_SETTINGS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;RETENTION_TIME=5000;CACHE_SIZE=4096;AUTO_COMPACT_FILL_RATE=80";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: H2StopCompaction <database path without .mv.db> <extra URL settings> <idle s>");
        }
        Path file = Path.of(args[0] + ".mv.db");
        int idleSeconds = Integer.parseInt(args[2]);
        long opening = System.nanoTime();
        Connection connection = DriverManager.getConnection("jdbc:h2:file:" + args[0] + EMBEDDED_STORAGE_SETTINGS + args[1],
                "bytekeep", "");
        printStoreFacts(connection);
        System.out.printf("opened in %d ms, file %d MB%n", millisSince(opening), megabytes(file));
        for (int second = 10; second <= idleSeconds; second += 10) {
            Thread.sleep(10_000);
            System.out.printf("idle %d s: file %d MB%n", second, megabytes(file));
        }
        long closing = System.nanoTime();
        connection.close();
        System.out.printf("closed in %d ms, file %d MB%n", millisSince(closing), megabytes(file));
    }

    private static void printStoreFacts(Connection connection) throws SQLException {
        try (ResultSet settings = connection.createStatement().executeQuery("select setting_name, setting_value"
                + " from information_schema.settings where setting_name in ('info.FILE_SIZE', 'info.FILL_RATE',"
                + " 'info.CHUNKS_FILL_RATE', 'info.CHUNK_COUNT', 'AUTO_COMPACT_FILL_RATE', 'MAX_COMPACT_TIME')")) {
            while (settings.next()) {
                System.out.println(settings.getString(1) + " = " + settings.getString(2));
            }
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** MiB, as bench/soak.sh prints the file. */
    private static long megabytes(Path file) throws Exception {
        return Files.size(file) >> 20;
    }
}
