package io.bytekeep.proof;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.bouncycastle.tsp.TimeStampToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;


/**
 * One Merkle batch: claims the queued hashes, builds the RFC 6962 tree (leaf data = the UTF-8 of the secure hash
 * string), has the TSA timestamp the 32 bytes of the root, and records the batch and every leaf's index and
 * inclusion proof, all in one transaction. If the TSA is down or its reply does not verify, the transaction rolls
 * back: nothing is recorded and the hashes stay queued for the next firing.
 * <p>
 * The inclusion proofs are stored with the leaves rather than computed per request: the whole tree is in memory here
 * anyway, each leaf row is written anyway, and a proof request then reads one row instead of every leaf of its batch.
 */
public class MerkleBatcher implements ProofBatches {

    private static final Logger LOG = LoggerFactory.getLogger(MerkleBatcher.class);

    private final ProofStore store;
    private final TimestampClient tsa;
    private final String imprintAlgorithm;
    private final TransactionTemplate transactions;
    private final int maxBatchSize;
    private final Clock clock;

    public MerkleBatcher(ProofStore store, TimestampClient tsa, String imprintAlgorithm, TransactionTemplate transactions,
                         int maxBatchSize, Clock clock) {
        this.store = store;
        this.tsa = tsa;
        this.imprintAlgorithm = imprintAlgorithm;
        this.transactions = transactions;
        this.maxBatchSize = maxBatchSize;
        this.clock = clock;
    }

    /** Timestamps batches until the queue holds no more than a part batch. */
    @Override
    public int timestampQueued() {
        int total = 0;
        for (int batched; (batched = timestampOneBatch()) > 0; ) {
            total += batched;
            if (batched < maxBatchSize) {
                break;
            }
        }
        return total;
    }

    int timestampOneBatch() {
        Integer batched = transactions.execute(status -> {
            List<ProofStore.QueuedHash> queued = store.claimQueued(maxBatchSize);
            if (queued.isEmpty()) {
                return 0;
            }
            List<byte[]> leafData = queued.stream().map(hash -> hash.secureHash().getBytes(StandardCharsets.UTF_8)).toList();
            MerkleTree tree = new MerkleTree(leafData);
            TimeStampToken token = tsa.timestamp(tree.root());
            ProofStore.Batch batch = new ProofStore.Batch(UUID.randomUUID(), tree.size(), HexFormat.of().formatHex(tree.root()),
                    imprintAlgorithm, Base64.getEncoder().encodeToString(encoded(token)), tsa.url().toString(), clock.instant());
            List<ProofStore.Leaf> leaves = new ArrayList<>(queued.size());
            for (int i = 0; i < queued.size(); i++) {
                leaves.add(new ProofStore.Leaf(queued.get(i).rawFileId(), i, concatenated(tree.inclusionProof(i))));
            }
            store.recordBatch(batch, leaves);
            LOG.info("Timestamped Merkle batch {}: {} hashes, root {}", batch.id(), batch.treeSize(), batch.rootHex());
            return queued.size();
        });
        return batched == null ? 0 : batched;
    }

    private static byte[] concatenated(List<byte[]> hashes) {
        byte[] all = new byte[hashes.size() * MerkleTree.HASH_SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, all, i * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
        }
        return all;
    }

    private static byte[] encoded(TimeStampToken token) {
        try {
            return token.getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
