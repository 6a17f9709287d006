package io.bytekeep.publication;

import java.util.ArrayList;
import java.util.List;

/**
 * What an upload did, or the sum of what the uploads of a {@link Publication} did.
 *
 * @param archives         archives planned (hourly and daily archives, configuration documents, their TUF copies)
 * @param indexes          other files planned (index files, TUF metadata)
 * @param uploaded         objects put or copied
 * @param skipped          objects already there with the same hash
 * @param bytes            bytes put
 * @param retries          retries of failed operations
 * @param failedOperations operations that failed after all retries
 * @param failedKeys       their object keys
 * @param notAttempted     files not tried (after a stop, or held back because an earlier batch is not all there)
 * @param aborted          whether the publication stopped at the threshold of failed operations
 */
public record PublishResult(int archives, int indexes, int uploaded, int skipped, long bytes, int retries,
                            int failedOperations, List<String> failedKeys, int notAttempted, boolean aborted) {

    /** Nothing planned, nothing done. */
    public static final PublishResult NONE = new PublishResult(0, 0, 0, 0, 0, 0, 0, List.of(), 0, false);

    public PublishResult {
        failedKeys = List.copyOf(failedKeys);
    }

    /** A tree the bucket holds whole and unchanged: every file skipped. */
    public static PublishResult unchanged(int archives, int indexes) {
        return new PublishResult(archives, indexes, 0, archives + indexes, 0, 0, 0, List.of(), 0, false);
    }

    /** Files that were never planned, counted as not attempted. */
    public static PublishResult notAttempted(List<ExportFile> files) {
        int archives = (int) files.stream().filter(ExportFile::isArchive).count();
        return new PublishResult(archives, files.size() - archives, 0, 0, 0, 0, 0, List.of(), files.size(), false);
    }

    /** True if every planned file is in the bucket. */
    public boolean succeeded() {
        return failedOperations == 0 && notAttempted == 0;
    }

    /** This and another upload's result, summed. */
    public PublishResult plus(PublishResult other) {
        List<String> keys = new ArrayList<>(failedKeys);
        keys.addAll(other.failedKeys);
        return new PublishResult(archives + other.archives, indexes + other.indexes, uploaded + other.uploaded,
                skipped + other.skipped, bytes + other.bytes, retries + other.retries,
                failedOperations + other.failedOperations, keys, notAttempted + other.notAttempted,
                aborted || other.aborted);
    }

    /** A publication did not put every file it planned in the bucket; {@link #result()} says what it did. */
    public static final class Failed extends RuntimeException {

        private final transient PublishResult result;

        public Failed(PublishResult result) {
            super((result.aborted() ? "aborted after " : "") + result.failedOperations() + " failed upload operation(s) ("
                    + String.join(", ", result.failedKeys().stream().limit(5).toList())
                    + (result.failedKeys().size() > 5 ? ", ..." : "") + "); " + result.notAttempted()
                    + " file(s) not attempted");
            this.result = result;
        }

        public PublishResult result() {
            return result;
        }
    }
}
