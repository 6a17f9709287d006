package io.bytekeep.vault;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.batching.GroupCommit;
import io.bytekeep.platform.storage.UnchunkedUpload;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores the small files of concurrent uploads together: the stored (encrypted) bytes of every small file that arrived
 * while the previous write ran go into one new object, a pack ({@link #packKey} in the file's bucket), one PUT
 * for all of them ({@link GroupCommit}); each file's row records the pack and where its bytes start. A file is "small"
 * up to {@code bytekeep.storage.pack-threshold} stored bytes; larger ones keep an object of their own.
 * <p>
 * A pack is written once and never changed. A file whose row is never committed (its upload failed after the write)
 * leaves its range unreferenced (under envelope encryption unreadable: the data key was only ever in that row). When
 * every upload with a file in a pack has ended without a commit, the pack is deleted at once, as {@link OrphanGuard}
 * deletes an upload's own object; a pack left by a process that was killed is found by the orphan sweep
 * ({@link RawOrphanSweeper}) through the intent row its key had before the write ({@link PackIntents}).
 */
public class RawPacker implements Processor, AutoCloseable {

    public static final String PACKS = "packs/";

    /**
     * Where a pack is stored: {@code packs/<first two hex digits of its id>/<pack id>}. The 256 prefixes keep any one
     * directory of a filesystem-backed store (the embedded S3 API) at a 256th of the packs, which bounds the cost of
     * listing a page there, and spread the requests over prefixes, which S3 scales by. (Packs written before 2026-12
     * are {@code packs/<pack id>}; their rows keep that key and everything reads both.)
     */
    public static String packKey(UUID packId) {
        String id = packId.toString();
        return PACKS + id.substring(0, 2) + "/" + id;
    }

    /** Most files in one pack: bounds the pack's bytes in memory to this many times the threshold. */
    static final int MAX_FILES_PER_PACK = 256;

    private record Piece(String bucket, byte[] bytes) {
    }

    private record Location(String key, long offset) {
    }

    private final S3Client s3;
    private final PackIntents intents;
    private final String defaultBucket;
    private final long threshold;
    private final GroupCommit<Piece, Location> writes;
    private final Map<String, PackUse> unsettled = new ConcurrentHashMap<>();

    /** The uploads with a file in a pack that have not ended yet, and whether one of them may have committed its row. */
    private static final class PackUse {
        private final String bucket;
        private int uploads;
        private boolean recorded;

        PackUse(String bucket, int uploads) {
            this.bucket = bucket;
            this.uploads = uploads;
        }
    }

    /**
     * @param threshold largest stored size of a file that goes into a pack; 0 turns packing off
     * @param linger    how long a pack under load waits for more files ({@link GroupCommit})
     */
    public RawPacker(S3Client s3, PackIntents intents, String defaultBucket, long threshold, Duration linger,
                     MeterRegistry meters) {
        this.s3 = s3;
        this.intents = intents;
        this.defaultBucket = defaultBucket;
        this.threshold = threshold;
        this.writes = new GroupCommit<>("raw-packs", MAX_FILES_PER_PACK, linger, this::writePacks, meters);
    }

    /** Whether the file of the body ({@link IncomingRaw}, encrypted) goes into a pack. */
    public boolean fits(Exchange exchange) {
        long size = exchange.getIn().getBody(IncomingRaw.class).stored().size();
        return size > 0 && size <= threshold;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        String bucket = exchange.getProperty(ExchangeProperties.RAW_BUCKET, defaultBucket, String.class);
        byte[] bytes;
        try (InputStream stored = raw.stored().open()) {
            bytes = stored.readNBytes((int) threshold + 1);
        }
        if (bytes.length != raw.stored().size()) {
            throw new IllegalStateException("stored form of " + raw.id() + " has " + bytes.length + " bytes, not "
                    + raw.stored().size());
        }
        Location location = writes.submit(new Piece(bucket, bytes));
        raw.storedAt(bucket, location.key(), location.offset());
        // a file that lost a race to a concurrent upload of the same file is not recorded, whatever its exchange did
        OrphanGuard.journalShared(exchange, recorded -> settle(location.key(), recorded && !raw.isDuplicate()));
    }

    private void settle(String key, boolean recorded) {
        PackUse use = unsettled.get(key);
        boolean unused;
        synchronized (use) {
            use.recorded |= recorded;
            unused = --use.uploads == 0 && !use.recorded;
            if (use.uploads == 0) {
                unsettled.remove(key);
            }
        }
        if (unused) {
            OrphanGuard.removeUnrecorded(s3, new OrphanGuard.StoredObject(use.bucket, key));
        }
    }

    private void writePacks(List<GroupCommit.Pending<Piece, Location>> batch) {
        Map<String, List<GroupCommit.Pending<Piece, Location>>> byBucket = new LinkedHashMap<>();
        batch.forEach(pending -> byBucket.computeIfAbsent(pending.item().bucket(), b -> new ArrayList<>()).add(pending));
        byBucket.forEach((bucket, pieces) -> {
            try {
                writePack(bucket, pieces);
            } catch (RuntimeException e) {
                pieces.forEach(pending -> pending.fail(e));
            }
        });
    }

    private void writePack(String bucket, List<GroupCommit.Pending<Piece, Location>> pieces) {
        String key = intents.next(bucket);
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>(pieces.size());
        for (GroupCommit.Pending<Piece, Location> piece : pieces) {
            offsets.add((long) pack.size());
            pack.writeBytes(piece.item().bytes());
        }
        byte[] bytes = pack.toByteArray();
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream").contentLength((long) bytes.length)
                        .overrideConfiguration(o -> o.addPlugin(UnchunkedUpload.PLUGIN)),
                RequestBody.fromBytes(bytes));
        unsettled.put(key, new PackUse(bucket, pieces.size()));
        for (int i = 0; i < pieces.size(); i++) {
            pieces.get(i).complete(new Location(key, offsets.get(i)));
        }
    }

    @Override
    public void close() throws InterruptedException {
        writes.close();
    }
}
