package io.bytekeep.vault;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.bouncycastle.tsp.TimeStampToken;

import io.bytekeep.platform.Problem;
import io.bytekeep.proof.MerkleTree;
import io.bytekeep.proof.ProofStore;
import io.bytekeep.proof.TimestampException;
import io.bytekeep.proof.TimestampVerifier;
import io.bytekeep.vault.PythonFloatText;
import io.bytekeep.vault.RawDataMeta;
import io.bytekeep.vault.StoredRaw;

/**
 * GET /bytes/raw/{id}/proof: everything an auditor needs to check a raw file's proof of existence with openssl and
 * docs/verify-proof.py, for a raw file the caller may see (found by vaultQueries.storedRaw). The mode is the one the
 * file was stored with, so files stored before a change of mode keep their proofs.
 */
public class ProofQueries {

    private final ProofStore store;
    private final long batchIntervalMillis;

    public ProofQueries(ProofStore store, long batchIntervalMillis) {
        this.store = store;
        this.batchIntervalMillis = batchIntervalMillis;
    }

    public Map<String, Object> proof(Exchange exchange) throws InvalidPayloadException {
        RawDataMeta raw = exchange.getIn().getMandatoryBody(StoredRaw.class).meta();
        Optional<ProofStore.FileProof> batched = store.find(raw.id());
        if (batched.isPresent()) {
            return merkle(raw, batched.get());
        }
        if (raw.signingProviderUrl() != null && raw.hashRetrievalLink() != null) {
            if (!isBase64(raw.hashRetrievalLink())) {
                // a file moved from Bytes with its PASTEBIN link (a URL): a proof, but not one this service can check
                // or answer; the row keeps it unchanged (GET /bytes/raw/{id}/meta). A base64 link is a token, and an
                // unreadable one stays an integrity failure below
                throw Problem.notFound("Raw data " + raw.id() + " has no RFC 3161 proof: its hash was witnessed by "
                        + raw.signingProviderUrl() + ", whose link is in its meta (hash_retrieval_link)");
            }
            return single(raw);
        }
        throw Problem.notFound("Raw data " + raw.id() + " has no proof of existence: it was stored with a hash repository "
                + "that witnesses nothing outside this service (IN_MEMORY)");
    }

    private Map<String, Object> merkle(RawDataMeta raw, ProofStore.FileProof proof) {
        ProofStore.Batch batch = proof.batch().orElseThrow(() -> new Problem(409, "Proof Pending", "The hash of raw data "
                + raw.id() + " is queued since " + proof.queuedAt() + " for the next Merkle batch (every "
                + batchIntervalMillis + " ms while the TSA answers); ask again later"));
        Map<String, Object> answer = hashed(raw, "MERKLE");
        Map<String, Object> batchPart = new LinkedHashMap<>();
        batchPart.put("id", batch.id());
        batchPart.put("tree_size", batch.treeSize());
        batchPart.put("root", batch.rootHex());
        batchPart.put("created_at", batch.createdAt());
        answer.put("batch", batchPart);
        answer.put("leaf_index", proof.leafIndex());
        answer.put("leaf_data", "the UTF-8 of secure_hash");
        answer.put("inclusion_proof", hexHashes(proof.inclusionProof()));
        answer.put("timestamped_data", "the 32 bytes of batch.root");
        timestamp(answer, batch.tokenBase64(), batch.tsaUrl());
        return answer;
    }

    private Map<String, Object> single(RawDataMeta raw) {
        Map<String, Object> answer = hashed(raw, "SINGLE");
        answer.put("timestamped_data", "the UTF-8 of secure_hash");
        timestamp(answer, raw.hashRetrievalLink(), raw.signingProviderUrl());
        return answer;
    }

    private static Map<String, Object> hashed(RawDataMeta raw, String mode) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("raw_id", raw.id());
        answer.put("secure_hash", raw.secureHash());
        answer.put("hash_algorithm", raw.secureHash().substring(0, raw.secureHash().indexOf(':')));
        String endedAt = PythonFloatText.ofTimestamp(raw.boefjeMeta().endedAt());
        answer.put("ended_at", endedAt);
        answer.put("hashed", "the raw bytes, then the UTF-8 of ended_at (Python's str(ended_at.timestamp()))");
        answer.put("mode", mode);
        return answer;
    }

    private static void timestamp(Map<String, Object> answer, String tokenBase64, String tsaUrl) {
        TimeStampToken token;
        try {
            token = TimestampVerifier.parseToken(tokenBase64);
        } catch (TimestampException e) {
            throw Problem.integrity("The stored timestamp token of raw data " + answer.get("raw_id") + " is unreadable");
        }
        answer.put("imprint_algorithm", new org.bouncycastle.operator.DefaultAlgorithmNameFinder()
                .getAlgorithmName(token.getTimeStampInfo().getHashAlgorithm()).replace("-", ""));
        answer.put("timestamped_at", token.getTimeStampInfo().getGenTime().toInstant());
        answer.put("timestamp_token", tokenBase64);
        answer.put("tsa_url", tsaUrl);
    }

    private static boolean isBase64(String link) {
        try {
            java.util.Base64.getDecoder().decode(link);
            return true;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static List<String> hexHashes(byte[] concatenated) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < concatenated.length; i += MerkleTree.HASH_SIZE) {
            hashes.add(HexFormat.of().formatHex(concatenated, i, i + MerkleTree.HASH_SIZE));
        }
        return hashes;
    }
}
