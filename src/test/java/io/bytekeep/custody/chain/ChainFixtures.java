package io.bytekeep.custody.chain;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.bytekeep.custody.CustodyKeys;

/** A signed chain of custody (ingest, two stations' steps, an export) and the keys that check it. */
final class ChainFixtures {

    static final String CUSTODIAN = "bytekeep";

    final UUID caseId = UUID.randomUUID();
    final Map<String, KeyPair> keys = new LinkedHashMap<>();
    final List<CustodyLink> links = new ArrayList<>();

    ChainFixtures(String custodianKeyType, String stationKeyType) {
        keys.put(CUSTODIAN, CustodyKeys.generate(custodianKeyType));
        keys.put("station-a", CustodyKeys.generate(stationKeyType));
        keys.put("station-b", CustodyKeys.generate(stationKeyType));
        String secureHash = "sha512:" + "ab".repeat(64);
        links.add(LinkSignatures.sign(caseId, new CustodyLink(0, CUSTODIAN, CustodyLink.INGEST, "",
                InputHash.of(secureHash, "alice", "session-1"),
                CustodyLink.metadata(Map.of("raw_id", UUID.randomUUID().toString(), "secure_hash", secureHash,
                        "user_id", "alice", "session_id", "session-1")), null), keys.get(CUSTODIAN).getPrivate()));
        append("station-a", CustodyLink.STEP, "sha256:" + "11".repeat(32));
        append("station-b", CustodyLink.STEP, "sha256:" + "22".repeat(32));
        append("station-a", CustodyLink.EXPORT, "sha256:" + "33".repeat(32));
    }

    void append(String station, String kind, String resultHash) {
        links.add(next(station, kind, resultHash, keys.get(station)));
    }

    CustodyLink next(String station, String kind, String resultHash, KeyPair signer) {
        CustodyLink previous = links.get(links.size() - 1);
        return LinkSignatures.sign(caseId, new CustodyLink(links.size(), station, kind, previous.signature(), resultHash,
                CustodyLink.metadata(Map.of("step", "normalize", "tool_version", "1.0")), null), signer.getPrivate());
    }

    CustodyChain chain() {
        return new CustodyChain(caseId, links.size(), links);
    }

    Map<String, PublicKey> publicKeys() {
        Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
        keys.forEach((id, pair) -> publicKeys.put(id, pair.getPublic()));
        return publicKeys;
    }
}
