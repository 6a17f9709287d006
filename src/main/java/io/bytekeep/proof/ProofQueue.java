package io.bytekeep.proof;

import java.util.List;


/** Where the hashes of new raw files wait for the next Merkle batch; called inside the transaction that records them. */
@FunctionalInterface
public interface ProofQueue {

    /** The queue of deployments that witness each hash at once (or not at all). */
    ProofQueue NONE = hashes -> { };

    void enqueue(List<ProofStore.QueuedHash> hashes);
}
