package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits the keys of one export into files of at most {@code maximumKeysPerBundle} keys (CWA:
 * {@code maximum-number-of-keys-per-bundle}, 600,000). The keys are first put in export order (key data, unsigned),
 * so which key lands in which file does not depend on the order they came in. Batch numbers are 1-based; every
 * batch knows the batch size (number of files). No keys give no batches: seed 004 skips the file when there are
 * too few keys ("the creation of the file will be skipped").
 */
public final class Batcher {

    /** CWA's default maximum number of keys per file. */
    public static final int CWA_MAXIMUM_KEYS_PER_BUNDLE = 600_000;

    /** One file of a batch. */
    public record Batch(int batchNum, int batchSize, List<DiagnosisKey> keys) {
        public Batch {
            keys = List.copyOf(keys);
        }
    }

    private final int maximumKeysPerBundle;

    /** @param maximumKeysPerBundle the largest number of keys in one file, {@code >= 1} */
    public Batcher(int maximumKeysPerBundle) {
        if (maximumKeysPerBundle < 1) {
            throw new IllegalArgumentException("maximumKeysPerBundle must be >= 1, was " + maximumKeysPerBundle);
        }
        this.maximumKeysPerBundle = maximumKeysPerBundle;
    }

    /** The files of the keys, in batch-number order. */
    public List<Batch> split(Collection<DiagnosisKey> keys) {
        List<DiagnosisKey> sorted = ExportEncoder.sorted(keys);
        int batchSize = sorted.isEmpty() ? 0 : (sorted.size() - 1) / maximumKeysPerBundle + 1;
        List<Batch> batches = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            int from = i * maximumKeysPerBundle;
            int to = Math.min(from + maximumKeysPerBundle, sorted.size());
            batches.add(new Batch(i + 1, batchSize, sorted.subList(from, to)));
        }
        return List.copyOf(batches);
    }
}
