package io.bytekeep.publication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One upload of a {@link PublishPlan} under way: what became of each of its files. Made at the start of
 * routes/export-upload.camel.yaml and carried by the bodies of its steps (a {@link Stage} per batch, a {@link Put} per
 * file, which {@code export-put} keeps in its own property while it puts that file), never by an exchange property
 * between routes, so it ends with the route call that made it. {@link #finish} adds its result to the plan's
 * {@link Publication}. Thread-safe (the files of a parallel batch are put at once).
 */
public final class Upload {

    /** One batch of the plan, uploaded once every file of the batches before it is in the bucket. */
    public record Stage(Upload upload, int index) {
        public PublishPlan.Batch batch() {
            return upload.plan.batches().get(index);
        }

        public boolean parallel() {
            return batch().parallel();
        }

        /** The files to put; none if a file of an earlier batch is not in the bucket (they count as not attempted). */
        public List<Put> puts() {
            return upload.puts(index);
        }
    }

    /** One file of the plan, the body of {@code export-put}. */
    public record Put(Upload upload, PublishPlan.Batch batch, ExportFile file) {
    }

    private final PublishPlan plan;
    private final AtomicInteger uploaded = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final List<String> failedKeys = Collections.synchronizedList(new ArrayList<>());

    public Upload(PublishPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    public PublishPlan plan() {
        return plan;
    }

    /** The batches, in order. */
    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < plan.batches().size(); i++) {
            stages.add(new Stage(this, i));
        }
        return stages;
    }

    private List<Put> puts(int index) {
        for (int before = 0; before < index; before++) {
            if (!plan.publication().missing(plan.batches().get(before).files()).isEmpty()) {
                return List.of();
            }
        }
        PublishPlan.Batch batch = plan.batches().get(index);
        return batch.files().stream().map(file -> new Put(this, batch, file)).toList();
    }

    /**
     * True once no further file may be started: the publication reached its threshold of failed operations, or a
     * file of a batch that stops on failure failed.
     */
    public boolean isStopped() {
        return stopped.get() || plan.publication().failures().isReached();
    }

    /** The bucket holds the file now (put, or copied from where it holds the same bytes); its maker is let go. */
    public void uploaded(ExportFile file) {
        inBucket(file);
        uploaded.incrementAndGet();
        bytes.addAndGet(file.size());
    }

    /** The bucket held the file already, with the same hash. */
    public void skipped(ExportFile file) {
        inBucket(file);
        skipped.incrementAndGet();
    }

    private void inBucket(ExportFile file) {
        file.content().storedAt(file.objectKey());
        file.content().release();
        plan.publication().inBucket(file);
    }

    /** Before each retry of a failed operation. */
    public void retrying() {
        retries.incrementAndGet();
    }

    /** An operation failed after its retries; answers how many of the publication failed so far. */
    public int failed(Put put) {
        failed.incrementAndGet();
        failedKeys.add(put.file().objectKey());
        FailureCounter failures = plan.publication().failures();
        if (failures.failed()) {
            aborted.set(true);
        }
        if (put.batch().stopsOnFailure()) {
            stopped.set(true);
        }
        return failures.count();
    }

    /** One consistent reading of what the upload did so far. */
    public synchronized PublishResult result() {
        List<ExportFile> files = plan.files();
        int archives = (int) files.stream().filter(ExportFile::isArchive).count();
        int put = uploaded.get();
        int unchanged = skipped.get();
        int failures = failed.get();
        return new PublishResult(archives, files.size() - archives, put, unchanged, bytes.get(), retries.get(), failures,
                List.copyOf(failedKeys), files.size() - put - unchanged - failures, aborted.get());
    }

    /** The end of the upload: its result, added to its publication's (once). */
    public PublishResult finish() {
        PublishResult result = result();
        if (!finished.compareAndSet(false, true)) {
            throw new IllegalStateException("the upload has ended already");
        }
        plan.publication().add(result);
        return result;
    }
}
