package io.bytekeep.custody.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/**
 * Replays a custody chain from link 0 and names the first link that breaks it. The same class runs behind
 * {@code GET /custody/cases/{id}/verify}, before every appended step, and in the offline CLI
 * ({@code bytekeep custody verify}).
 */
public final class ChainVerifier {

    private final String custodianId;

    /** @param custodianId the party id under which Bytekeep signs link 0 (bytekeep.custody.chain.party-id) */
    public ChainVerifier(String custodianId) {
        this.custodianId = custodianId;
    }

    /** @param signingKeys the registered signing public key of every party, by party id (Bytekeep's included) */
    public ChainVerdict verify(CustodyChain chain, Map<String, PublicKey> signingKeys) {
        List<CustodyLink> links = chain.links();
        if (links.isEmpty()) {
            return ChainVerdict.broken(0, 0, "the chain has no links; link 0 (ingest) is missing");
        }
        for (int i = 0; i < links.size(); i++) {
            String reason = reasonBroken(chain, i, signingKeys);
            if (reason != null) {
                return ChainVerdict.broken(links.size(), i, reason);
            }
        }
        if (chain.linkCount() != null && links.size() < chain.linkCount()) {
            return ChainVerdict.broken(links.size(), links.size(), "the case records " + chain.linkCount()
                    + " links but the chain ends after " + links.size() + ": links were removed from its end");
        }
        return ChainVerdict.valid(links.size());
    }

    /** Why link {@code i} breaks the chain, or null when it holds given links 0..i-1. */
    private String reasonBroken(CustodyChain chain, int i, Map<String, PublicKey> signingKeys) {
        CustodyLink link = chain.links().get(i);
        if (link == null || link.stationId() == null || link.kind() == null || link.resultHash() == null
                || link.signature() == null || link.metadata().containsValue(null)) {
            return "link at position " + i + " lacks station_id, kind, result_hash, signature or a metadata value";
        }
        if (link.index() != i) {
            return "link at position " + i + " says it is link " + link.index() + ": a link was removed, inserted or reordered";
        }
        String reason = i == 0 ? ingestProblem(link) : stepProblem(chain.links().get(i - 1), link);
        if (reason != null) {
            return reason;
        }
        PublicKey key = signingKeys.get(link.stationId());
        if (key == null) {
            return "station '" + link.stationId() + "' has no registered signing key";
        }
        if (!LinkSignatures.verify(chain.caseId(), link, key)) {
            return "the signature does not verify with the registered key of station '" + link.stationId() + "'";
        }
        return null;
    }

    private String ingestProblem(CustodyLink link) {
        if (!CustodyLink.INGEST.equals(link.kind())) {
            return "link 0 must be the ingest, not '" + link.kind() + "'";
        }
        if (!custodianId.equals(link.stationId())) {
            return "link 0 must be signed by the custodian '" + custodianId + "', not '" + link.stationId() + "'";
        }
        if (!link.previousSignature().isEmpty()) {
            return "link 0 has a previous signature";
        }
        Map<String, String> m = link.metadata();
        if (m.get("secure_hash") == null || m.get("user_id") == null || m.get("session_id") == null) {
            return "link 0 lacks secure_hash, user_id or session_id in its metadata";
        }
        String expected = InputHash.of(m.get("secure_hash"), m.get("user_id"), m.get("session_id"));
        if (!equal(expected, link.resultHash())) {
            return "link 0's input hash is not the hash of its raw file's secure_hash, user_id and session_id";
        }
        return null;
    }

    private static String stepProblem(CustodyLink previous, CustodyLink link) {
        if (!CustodyLink.STEP.equals(link.kind()) && !CustodyLink.EXPORT.equals(link.kind())) {
            return "link " + link.index() + " has kind '" + link.kind() + "'; later links are 'step' or 'export'";
        }
        if (CustodyLink.EXPORT.equals(previous.kind())) {
            return "link " + link.index() + " follows the export (link " + previous.index() + ") that closed the case";
        }
        if (!equal(previous.signature(), link.previousSignature())) {
            return "link " + link.index() + "'s previous_signature is not the signature of link " + previous.index();
        }
        return null;
    }

    private static boolean equal(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
