package io.bytekeep.proof;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tree against a literal, recursive transcription of RFC 6962 section 2.1 (MTH and PATH), sizes 1..70. */
class MerkleTreeTest {

    @Test
    void rootAndEveryInclusionProofMatchRfc6962ForSizesOneToSeventy() {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            MerkleTree tree = new MerkleTree(leaves);
            byte[] root = Rfc6962.mth(leaves);

            assertThat(tree.size()).isEqualTo(n);
            assertThat(tree.root()).as("root of %d leaves", n).isEqualTo(root);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = tree.inclusionProof(m);
                assertThat(hex(proof)).as("PATH(%d, D[%d])", m, n).isEqualTo(hex(Rfc6962.path(m, leaves)));
                assertThat(MerkleTree.rootFromInclusionProof(tree.leafHash(m), m, n, proof)).isEqualTo(root);
            }
        }
    }

    @Test
    void aProofDoesNotLeadToTheRootFromAnotherLeafIndexOrData() {
        List<byte[]> leaves = leaves(13);
        MerkleTree tree = new MerkleTree(leaves);
        List<byte[]> proof = tree.inclusionProof(5);

        assertThat(MerkleTree.rootFromInclusionProof(MerkleTree.leafHash("other".getBytes()), 5, 13, proof))
                .isNotEqualTo(tree.root());
        assertThat(MerkleTree.rootFromInclusionProof(tree.leafHash(5), 4, 13, proof)).isNotEqualTo(tree.root());
        List<byte[]> flipped = new ArrayList<>(proof);
        byte[] sibling = flipped.get(0).clone();
        sibling[0] ^= 1;
        flipped.set(0, sibling);
        assertThat(MerkleTree.rootFromInclusionProof(tree.leafHash(5), 5, 13, flipped)).isNotEqualTo(tree.root());
    }

    @Test
    void aProofOfTheWrongLengthIsRejected() {
        MerkleTree tree = new MerkleTree(leaves(8));
        List<byte[]> proof = new ArrayList<>(tree.inclusionProof(3));
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(new byte[32]);

        assertThatThrownBy(() -> MerkleTree.rootFromInclusionProof(tree.leafHash(3), 3, 8, proof.subList(0, 2)))
                .hasMessageContaining("shorter");
        assertThatThrownBy(() -> MerkleTree.rootFromInclusionProof(tree.leafHash(3), 3, 8, longer))
                .hasMessageContaining("longer");
        assertThatThrownBy(() -> MerkleTree.rootFromInclusionProof(tree.leafHash(3), 8, 8, proof))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSingleLeafIsItsOwnRootWithAnEmptyProof() {
        MerkleTree tree = new MerkleTree(List.of("sha512:ab".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree.root()).isEqualTo(MerkleTree.leafHash("sha512:ab".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree.inclusionProof(0)).isEmpty();
        assertThatThrownBy(() -> new MerkleTree(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyTreeHashAndKnownLeafHashMatchTheRfcDefinitions() throws Exception {
        // leaf hash of empty data: SHA-256 of the single byte 0x00
        assertThat(HexFormat.of().formatHex(MerkleTree.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        assertThat(MerkleTree.nodeHash(new byte[32], new byte[32]))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(concat(new byte[] {1}, new byte[64])));
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(("sha512:leaf-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return leaves;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** RFC 6962, 2.1: MTH and PATH written down as the RFC defines them, recursively; independent of MerkleTree. */
    private static final class Rfc6962 {

        static byte[] mth(List<byte[]> d) {
            int n = d.size();
            if (n == 1) {
                return sha256(concat(new byte[] {0}, d.get(0)));
            }
            int k = largestPowerOfTwoBelow(n);
            return sha256(concat(new byte[] {1}, concat(mth(d.subList(0, k)), mth(d.subList(k, n)))));
        }

        static List<byte[]> path(int m, List<byte[]> d) {
            int n = d.size();
            List<byte[]> result = new ArrayList<>();
            if (n == 1) {
                return result;
            }
            int k = largestPowerOfTwoBelow(n);
            if (m < k) {
                result.addAll(path(m, d.subList(0, k)));
                result.add(mth(d.subList(k, n)));
            } else {
                result.addAll(path(m - k, d.subList(k, n)));
                result.add(mth(d.subList(0, k)));
            }
            return result;
        }

        /** The largest power of two smaller than n (n > 1). */
        static int largestPowerOfTwoBelow(int n) {
            int k = 1;
            while (k << 1 < n) {
                k <<= 1;
            }
            return k;
        }

        static byte[] sha256(byte[] data) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(data);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
