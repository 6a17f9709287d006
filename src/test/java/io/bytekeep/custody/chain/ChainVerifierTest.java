package io.bytekeep.custody.chain;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.bytekeep.custody.CustodyKeys;

import static org.assertj.core.api.Assertions.assertThat;

/** Replays signed chains and every kind of forgery; the verdict names the first broken link. */
class ChainVerifierTest {

    private final ChainVerifier verifier = new ChainVerifier(ChainFixtures.CUSTODIAN);

    @ParameterizedTest
    @CsvSource({"Ed25519, Ed25519", "P-256, P-256", "Ed25519, P-256", "P-256, Ed25519"})
    void aSignedChainVerifies(String custodianKey, String stationKey) {
        ChainFixtures f = new ChainFixtures(custodianKey, stationKey);

        ChainVerdict verdict = verifier.verify(f.chain(), f.publicKeys());

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.links()).isEqualTo(4);
        assertThat(verdict.firstBrokenLink()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void aChangedResultHashBreaksThatLink(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        CustodyLink original = f.links.get(2);
        f.links.set(2, new CustodyLink(2, original.stationId(), original.kind(), original.previousSignature(),
                "sha256:" + "99".repeat(32), original.metadata(), original.signature()));

        assertBroken(f.chain(), f, 2, "does not verify with the registered key of station 'station-b'");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void aChangedPreviousSignatureBreaksThatLink(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        CustodyLink original = f.links.get(1);
        byte[] forged = Base64.getDecoder().decode(original.previousSignature());
        forged[5] ^= 1;
        f.links.set(1, new CustodyLink(1, original.stationId(), original.kind(), Base64.getEncoder().encodeToString(forged),
                original.resultHash(), original.metadata(), original.signature()));

        assertBroken(f.chain(), f, 1, "previous_signature is not the signature of link 0");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void aLinkSignedWithAnotherStationsKeyIsRejected(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        f.links.remove(3);
        // station-b's key signs a link that claims to come from station-a
        f.links.add(f.next("station-a", CustodyLink.EXPORT, "sha256:" + "33".repeat(32), f.keys.get("station-b")));

        assertBroken(f.chain(), f, 3, "does not verify with the registered key of station 'station-a'");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void anUnknownStationIsRejected(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        f.links.remove(3);
        f.links.add(f.next("mallory", CustodyLink.STEP, "sha256:" + "44".repeat(32), CustodyKeys.generate(keyType)));

        assertBroken(f.chain(), f, 3, "station 'mallory' has no registered signing key");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void reorderedLinksAreNamed(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        List<CustodyLink> reordered = new ArrayList<>(f.links);
        reordered.set(1, f.links.get(2));
        reordered.set(2, f.links.get(1));

        assertBroken(new CustodyChain(f.caseId, 4, reordered), f, 1, "says it is link 2");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void aRemovedLinkIsNamed(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        List<CustodyLink> removed = new ArrayList<>(f.links);
        removed.remove(2);
        assertBroken(new CustodyChain(f.caseId, 4, removed), f, 2, "says it is link 3");

        // renumbered to hide the gap: the previous signature no longer matches
        CustodyLink last = f.links.get(3);
        removed.set(2, new CustodyLink(2, last.stationId(), last.kind(), last.previousSignature(), last.resultHash(),
                last.metadata(), last.signature()));
        assertBroken(new CustodyChain(f.caseId, 3, removed), f, 2, "previous_signature is not the signature of link 1");

        // cut off at the end
        assertBroken(new CustodyChain(f.caseId, 4, f.links.subList(0, 3)), f, 3, "links were removed from its end");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void linkZeroMustBindTheInputToUserAndSession(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        CustodyLink ingest = f.links.get(0);
        var metadata = new java.util.TreeMap<>(ingest.metadata());
        metadata.put("user_id", "mallory");
        f.links.set(0, new CustodyLink(0, ingest.stationId(), ingest.kind(), "", ingest.resultHash(), metadata, ingest.signature()));

        assertBroken(f.chain(), f, 0, "input hash is not the hash of its raw file's secure_hash, user_id and session_id");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void aLinkOfAnotherCaseDoesNotVerifyHere(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);

        assertBroken(new CustodyChain(java.util.UUID.randomUUID(), 4, f.links), f, 0, "does not verify");
    }

    @ParameterizedTest
    @CsvSource({"Ed25519", "P-256"})
    void nothingFollowsTheExport(String keyType) {
        ChainFixtures f = new ChainFixtures(keyType, keyType);
        f.append("station-b", CustodyLink.STEP, "sha256:" + "55".repeat(32));

        assertBroken(f.chain(), f, 4, "follows the export (link 3)");
    }

    @Test
    void anIncompleteLinkIsNamedNotCrashedOn() {
        ChainFixtures f = new ChainFixtures("Ed25519", "Ed25519");
        CustodyLink original = f.links.get(2);
        f.links.set(2, new CustodyLink(2, null, original.kind(), original.previousSignature(), original.resultHash(),
                original.metadata(), original.signature()));

        assertBroken(f.chain(), f, 2, "lacks station_id");
    }

    private void assertBroken(CustodyChain chain, ChainFixtures f, int index, String reason) {
        ChainVerdict verdict = verifier.verify(chain, f.publicKeys());
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.firstBrokenLink().index()).isEqualTo(index);
        assertThat(verdict.firstBrokenLink().reason()).contains(reason);
    }
}
