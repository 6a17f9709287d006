package io.bytekeep.vault;

import java.util.SortedSet;
import java.util.UUID;

import io.bytekeep.atrest.KeyRecord;
import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.TimeOrderedIds;

/**
 * One raw file on its way through the ingestion route. Each step fills in what it is responsible for:
 * the proof hash, the hash repository's link, the stored (possibly encrypted) form and the object key.
 */
public final class IncomingRaw {

    private final BoefjeMeta boefjeMeta;
    private final String name;
    private final SortedSet<String> mimeTypes;
    private final ContentSource content;
    private final UUID id;
    private final String objectName;
    private UUID existingId;
    private boolean announce = true;
    private String traceparent;
    private String secureHash;
    private String hashRetrievalLink;
    private String signingProviderUrl;
    private ContentSource stored;
    private String encryption;
    private KeyRecord key = KeyRecord.NONE;
    private String storageBucket;
    private String storageKey;
    private Long storedOffset;

    public IncomingRaw(BoefjeMeta boefjeMeta, String name, SortedSet<String> mimeTypes, ContentSource content) {
        this(boefjeMeta, name, mimeTypes, content, TimeOrderedIds.next(), null);
    }

    private IncomingRaw(BoefjeMeta boefjeMeta, String name, SortedSet<String> mimeTypes, ContentSource content, UUID id,
                        String attempt) {
        this.boefjeMeta = boefjeMeta;
        this.name = name;
        this.mimeTypes = mimeTypes;
        this.content = content;
        this.id = id;
        this.objectName = attempt == null ? id.toString() : id + "." + attempt;
    }

    /**
     * A raw file that keeps the id it had elsewhere (an import from Bytes). The same id can be written more than once
     * (a rerun after a crash), so its object name carries a fresh attempt id: no write ever replaces another's object.
     */
    public static IncomingRaw imported(BoefjeMeta boefjeMeta, UUID id, SortedSet<String> mimeTypes, ContentSource content) {
        return new IncomingRaw(boefjeMeta, id.toString(), mimeTypes, content, id, UUID.randomUUID().toString());
    }

    public BoefjeMeta boefjeMeta() { return boefjeMeta; }
    public String name() { return name; }
    public SortedSet<String> mimeTypes() { return mimeTypes; }
    public ContentSource content() { return content; }
    public UUID id() { return id; }
    /** The last part of the object key: the raw id, for an imported file with its attempt id after a dot. */
    public String objectName() { return objectName; }

    /** The id this file answers with: an earlier raw with the same mime types, or its own new id. */
    public UUID resultId() { return existingId != null ? existingId : id; }
    public boolean isDuplicate() { return existingId != null; }
    public void existingId(UUID existingId) { this.existingId = existingId; }

    /** Whether recording the file also puts its RawFileReceived event in the outbox (an import: only when asked). */
    public boolean announce() { return announce; }
    public void announce(boolean announce) { this.announce = announce; }
    /** The trace context of the request that brought the file, for its RawFileReceived event (null without one). */
    public String traceparent() { return traceparent; }
    public void traceparent(String traceparent) { this.traceparent = traceparent; }

    public String secureHash() { return secureHash; }
    public void secureHash(String secureHash) { this.secureHash = secureHash; }
    public String hashRetrievalLink() { return hashRetrievalLink; }
    public void hashRetrievalLink(String link) { this.hashRetrievalLink = link; }
    public String signingProviderUrl() { return signingProviderUrl; }
    public void signingProviderUrl(String url) { this.signingProviderUrl = url; }

    public ContentSource stored() { return stored; }
    public String encryption() { return encryption; }
    public String keyId() { return key.keyId(); }
    /** The wrapped data key of envelope encryption: kept in the database row, never in the object store. */
    public byte[] wrappedKey() { return key.wrappedKey(); }
    public void stored(ContentSource stored, String encryption, KeyRecord key) {
        this.stored = stored;
        this.encryption = encryption;
        this.key = key;
    }

    public String storageBucket() { return storageBucket; }
    public String storageKey() { return storageKey; }
    /** Where the stored bytes begin in the object: null when the object holds this file alone. */
    public Long storedOffset() { return storedOffset; }
    public void storedAt(String bucket, String key) {
        storedAt(bucket, key, null);
    }
    public void storedAt(String bucket, String key, Long offset) {
        this.storageBucket = bucket;
        this.storageKey = key;
        this.storedOffset = offset;
    }
}
