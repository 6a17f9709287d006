package io.bytekeep.distribution;

/** A distribution run whose upload did not put every file of the tree into the export bucket. */
public class DistributionRunFailed extends RuntimeException {

    private final transient ExportUploader.Result result;

    public DistributionRunFailed(ExportUploader.Result result) {
        super((result.aborted() ? "aborted after " : "") + result.failedOperations() + " failed upload operation(s) ("
                + String.join(", ", result.failedKeys().stream().limit(5).toList())
                + (result.failedKeys().size() > 5 ? ", ..." : "") + "); " + result.notAttempted()
                + " file(s) not attempted, no index names a missing archive");
        this.result = result;
    }

    public ExportUploader.Result result() {
        return result;
    }
}
