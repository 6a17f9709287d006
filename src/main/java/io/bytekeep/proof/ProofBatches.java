package io.bytekeep.proof;

/** What the schedule of routes/custody-proofs.camel.yaml runs: Merkle batches, or nothing when the mode has none. */
@FunctionalInterface
public interface ProofBatches {

    ProofBatches NONE = () -> 0;

    /** Timestamps what is queued; answers how many hashes it timestamped. */
    int timestampQueued();
}
