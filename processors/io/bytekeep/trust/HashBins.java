package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash-bin delegation of python-tuf's example {@code hashed_bin_delegation.py}: N bins (a power of two), the
 * prefix length is the number of hex digits of N - 1, there are 16^length prefixes, each bin serves
 * 16^length / N consecutive prefixes and is named {@code low-high} (or the single prefix when it serves one), e.g.
 * 32 bins: {@code 00-07}, {@code 08-0f}, ..., {@code f8-ff}. A target goes to the bin of the first prefix-length
 * hex digits of the SHA-256 of its target path (UTF-8).
 */
public final class HashBins {

    /** One bin: its role name and the hash prefixes it serves ({@code path_hash_prefixes}). */
    public record Bin(String name, List<String> prefixes) {
    }

    private final int numberOfBins;
    private final int prefixLength;
    private final int binSize;
    private final List<Bin> bins;

    public HashBins(int numberOfBins) {
        if (numberOfBins < 1 || Integer.bitCount(numberOfBins) != 1 || numberOfBins > 65_536) {
            throw new IllegalArgumentException("the number of bins must be a power of two from 1 to 65536, was "
                    + numberOfBins);
        }
        this.numberOfBins = numberOfBins;
        this.prefixLength = Integer.toHexString(numberOfBins - 1).length();
        int numberOfPrefixes = 1 << (4 * prefixLength);
        this.binSize = numberOfPrefixes / numberOfBins;
        List<Bin> all = new ArrayList<>(numberOfBins);
        for (int low = 0; low < numberOfPrefixes; low += binSize) {
            List<String> prefixes = new ArrayList<>(binSize);
            for (int prefix = low; prefix < low + binSize; prefix++) {
                prefixes.add(hex(prefix));
            }
            all.add(new Bin(name(low), List.copyOf(prefixes)));
        }
        this.bins = List.copyOf(all);
    }

    public int numberOfBins() {
        return numberOfBins;
    }

    /** The bins in the order of their prefixes. */
    public List<Bin> bins() {
        return bins;
    }

    /** The name of the bin that holds the target path. */
    public String binFor(String targetPath) {
        byte[] hash = TrustKey.sha256(targetPath.getBytes(StandardCharsets.UTF_8));
        int prefix = Integer.parseInt(HexFormat.of().formatHex(hash, 0, (prefixLength + 1) / 2).substring(0, prefixLength), 16);
        return name(prefix - prefix % binSize);
    }

    private String name(int low) {
        int high = low + binSize - 1;
        return low == high ? hex(low) : hex(low) + "-" + hex(high);
    }

    private String hex(int value) {
        String digits = Integer.toHexString(value);
        return "0".repeat(prefixLength - digits.length()) + digits;
    }
}
