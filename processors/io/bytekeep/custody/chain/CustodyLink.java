package io.bytekeep.custody.chain;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One link of a custody chain: who ({@code stationId}) did what ({@code kind}, {@code metadata}) with which result
 * ({@code resultHash}), signed over the previous link's signature; see {@link SignedBytes} for what is signed.
 * Signatures are base64; link 0 has an empty {@code previousSignature}.
 */
public record CustodyLink(int index, String stationId, String kind, String previousSignature, String resultHash,
                          SortedMap<String, String> metadata, String signature) {

    /** Link 0: Bytekeep takes the raw file into custody. */
    public static final String INGEST = "ingest";
    /** A processing station's step. */
    public static final String STEP = "step";
    /** The last link: the result leaves custody; nothing may follow. */
    public static final String EXPORT = "export";

    public CustodyLink {
        previousSignature = previousSignature == null ? "" : previousSignature;
        metadata = metadata == null ? new TreeMap<>() : new TreeMap<>(metadata);
    }

    public static SortedMap<String, String> metadata(Map<String, String> values) {
        return new TreeMap<>(values);
    }

    public CustodyLink withSignature(String newSignature) {
        return new CustodyLink(index, stationId, kind, previousSignature, resultHash, metadata, newSignature);
    }
}
