package io.bytekeep.publication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One publication to the export bucket, made of one or more uploads: a distribution run's (its archives date by date,
 * then the rest of its tree) or a TUF update's. It makes their {@link PublishPlan plans}, each file in one plan only,
 * and holds what they share: the {@link FailureCounter} (at its threshold no further file of the publication is
 * started) and the sum of their {@link PublishResult results}, to which each upload adds its own when it ends.
 * Thread-safe.
 */
public final class Publication {

    private final FailureCounter failures;
    private final Set<String> planned = new HashSet<>();
    private final Set<String> inBucket = ConcurrentHashMap.newKeySet();
    private PublishResult total = PublishResult.NONE;

    /** @param maxFailedOperations failed operations after which the publication stops (CWA: 5) */
    public Publication(int maxFailedOperations) {
        this.failures = new FailureCounter(maxFailedOperations);
    }

    public FailureCounter failures() {
        return failures;
    }

    /** A plan of the batches; a file already planned in this publication fails it (every file goes once). */
    public synchronized PublishPlan plan(PublishPlan.Batch... batches) {
        PublishPlan plan = new PublishPlan(this, List.of(batches));
        Set<String> keys = new HashSet<>();
        for (ExportFile file : plan.files()) {
            if (planned.contains(file.objectKey()) || !keys.add(file.objectKey())) {
                throw new IllegalArgumentException(file.objectKey() + " is planned twice in one publication");
            }
        }
        planned.addAll(keys);
        return plan;
    }

    /** The files not planned yet (a run's whole tree, most of whose archives went date by date). */
    public synchronized List<ExportFile> unplanned(List<ExportFile> files) {
        List<ExportFile> unplanned = new ArrayList<>();
        for (ExportFile file : files) {
            if (!planned.contains(file.objectKey())) {
                unplanned.add(file);
            }
        }
        return unplanned;
    }

    /** An upload of one of its plans has the file in the bucket (put, copied, or found there unchanged). */
    void inBucket(ExportFile file) {
        inBucket.add(file.objectKey());
    }

    /** Whether the bucket holds the file by an upload of this publication. */
    public boolean isInBucket(ExportFile file) {
        return inBucket.contains(file.objectKey());
    }

    /** The files of the list that no upload of this publication has put in the bucket (or found there). */
    public List<ExportFile> missing(List<ExportFile> files) {
        return files.stream().filter(file -> !isInBucket(file)).toList();
    }

    /** What an upload of one of its plans did (at its end). */
    synchronized void add(PublishResult result) {
        total = total.plus(result);
    }

    /** What its uploads did so far. */
    public synchronized PublishResult total() {
        return total;
    }
}
