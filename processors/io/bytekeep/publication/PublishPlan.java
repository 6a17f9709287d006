package io.bytekeep.publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one upload puts in the export bucket, and in which order: ordered batches of files (CWA's
 * {@code PublishedFileSet} and {@code S3Publisher}, as a value that routes/export-upload.camel.yaml uploads). A batch
 * starts only once every file of the batches before it is in the bucket, so a file that names another (an index file,
 * TUF metadata) never goes before it; the files of a batch are put in parallel or one after the other, and when a
 * file of a batch that {@linkplain Batch#stopsOnFailure stops on failure} fails, no file after it is started. Made by
 * a {@link Publication}, whose failure counter and sum of results the plan's upload shares.
 *
 * @param publication the publication the plan is part of
 * @param batches     in upload order
 */
public record PublishPlan(Publication publication, List<Batch> batches) {

    /**
     * Files uploaded together.
     *
     * @param name           what the files are, for the log ({@code archives}, {@code index files}, ...)
     * @param files          the files, in upload order for a sequential batch
     * @param parallel       put at once (archives, TUF target copies) rather than one after the other
     * @param stopsOnFailure a failed file stops every file not yet started (index files, TUF metadata: a reader must
     *                       not see a later one before it)
     */
    public record Batch(String name, List<ExportFile> files, boolean parallel, boolean stopsOnFailure) {
        public Batch {
            Objects.requireNonNull(name, "name");
            files = List.copyOf(files);
        }

        /** Files that name no other file (archives, target copies): in parallel; a failure stops no other file. */
        public static Batch parallel(String name, List<ExportFile> files) {
            return new Batch(name, files, true, false);
        }

        /** Files that name others (index files, metadata): one after the other; a failure stops the rest. */
        public static Batch inOrder(String name, List<ExportFile> files) {
            return new Batch(name, files, false, true);
        }
    }

    public PublishPlan {
        Objects.requireNonNull(publication, "publication");
        batches = List.copyOf(batches);
    }

    /** Every file of the plan, in order. */
    public List<ExportFile> files() {
        List<ExportFile> files = new ArrayList<>();
        batches.forEach(batch -> files.addAll(batch.files()));
        return files;
    }
}
