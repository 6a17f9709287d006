package io.bytekeep.vault;

import java.util.List;
import java.util.UUID;

/** What Bytes returns about a stored raw file: never the bytes, always the proof hash. */
public record RawDataMeta(
        UUID id,
        BoefjeMeta boefjeMeta,
        List<MimeType> mimeTypes,
        String secureHash,
        String signingProviderUrl,
        String hashRetrievalLink) {

    public record MimeType(String value) {
    }
}
