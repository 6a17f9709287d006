package io.bytekeep.proof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6962 (Certificate Transparency) Merkle tree over leaf data: leaf hash = SHA-256(0x00 || data), node hash =
 * SHA-256(0x01 || left || right). For a size that is not a power of two RFC 6962 splits at the largest power of two
 * below it; building level by level and carrying an unpaired last node up unchanged gives exactly that tree, so all
 * levels are kept and every inclusion proof (RFC 6962 PATH, leaf level first) is a walk up them.
 */
public final class MerkleTree {

    public static final int HASH_SIZE = 32;

    /** levels.get(0) are the leaf hashes, the last level holds only the root. */
    private final List<byte[][]> levels = new ArrayList<>();

    public MerkleTree(List<byte[]> leafData) {
        if (leafData.isEmpty()) {
            throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
        }
        MessageDigest sha256 = sha256();
        byte[][] level = new byte[leafData.size()][];
        for (int i = 0; i < level.length; i++) {
            level[i] = leafHash(sha256, leafData.get(i));
        }
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                int left = 2 * i;
                up[i] = left + 1 < level.length ? nodeHash(sha256, level[left], level[left + 1]) : level[left];
            }
            levels.add(up);
            level = up;
        }
    }

    public int size() {
        return levels.get(0).length;
    }

    public byte[] root() {
        return levels.get(levels.size() - 1)[0].clone();
    }

    public byte[] leafHash(int index) {
        return levels.get(0)[index].clone();
    }

    /** The audit path of leaf {@code index}: sibling hashes from the leaf level up to just below the root. */
    public List<byte[]> inclusionProof(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + size());
        }
        List<byte[]> path = new ArrayList<>();
        int position = index;
        for (int depth = 0; depth < levels.size() - 1; depth++) {
            byte[][] level = levels.get(depth);
            int sibling = position ^ 1;
            if (sibling < level.length) {
                path.add(level[sibling].clone());
            }
            position >>= 1;
        }
        return path;
    }

    public static byte[] leafHash(byte[] data) {
        return leafHash(sha256(), data);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        return nodeHash(sha256(), left, right);
    }

    /**
     * The root that {@code proof} leads to from {@code leafHash} at {@code index} in a tree of {@code treeSize}
     * (RFC 9162, 2.1.3.2); compare it with the timestamped root. Throws if the proof has the wrong length.
     */
    public static byte[] rootFromInclusionProof(byte[] leafHash, long index, long treeSize, List<byte[]> proof) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        }
        MessageDigest sha256 = sha256();
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new IllegalArgumentException("inclusion proof is longer than the tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(sha256, p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(sha256, r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new IllegalArgumentException("inclusion proof is shorter than the tree is deep");
        }
        return r;
    }

    private static byte[] leafHash(MessageDigest sha256, byte[] data) {
        sha256.update((byte) 0x00);
        return sha256.digest(data);
    }

    private static byte[] nodeHash(MessageDigest sha256, byte[] left, byte[] right) {
        sha256.update((byte) 0x01);
        sha256.update(left);
        return sha256.digest(right);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
