package io.bytekeep.platform.storage;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The listing of a sweep over a bucket of any size: one or more prefixes in turn, page by page, at most
 * {@code maxObjects} keys per {@link #walk}. The next walk goes on after the last key listed; after the last prefix it
 * starts again at the first (and a walk ends there, so no key is seen twice in one walk). A page whose handler throws
 * is listed again by the next walk. Only one page is held at a time; a walk answers what the handler made of each.
 * Where the next walk goes on is saved after each page ({@link ListingPosition}), so a round goes on across restarts;
 * a saved prefix this listing does not have (its prefixes changed) starts the round again.
 */
public final class ResumableListing {

    /** Handles one page of the keys under {@code prefix}; answers what it did. */
    @FunctionalInterface
    public interface PageHandler<T> {
        T handle(String prefix, List<S3Object> page);
    }

    private static final int PAGE_SIZE = 1000;

    private final S3Client s3;
    private final String bucket;
    private final List<String> prefixes;
    private final int maxObjects;
    private final ListingPosition position;

    public ResumableListing(S3Client s3, String bucket, List<String> prefixes, int maxObjects, ListingPosition position) {
        if (prefixes.isEmpty() || maxObjects < 1) {
            throw new IllegalArgumentException("a listing needs a prefix and a positive number of objects");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefixes = List.copyOf(prefixes);
        this.maxObjects = maxObjects;
        this.position = position;
    }

    public synchronized <T> List<T> walk(PageHandler<T> handler) {
        List<T> done = new ArrayList<>();
        ListingPosition.Place saved = position.load();
        int prefix = 0;
        String after = null;
        if (saved != null && prefixes.contains(saved.prefix())) {
            prefix = prefixes.indexOf(saved.prefix());
            after = saved.after();
        }
        int budget = maxObjects;
        boolean roundDone = false;
        while (budget > 0 && !roundDone) {
            String current = prefixes.get(prefix);
            String start = after;
            int pageSize = Math.min(PAGE_SIZE, budget);
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(current).startAfter(start)
                    .maxKeys(pageSize));
            budget -= page.contents().size();
            done.add(handler.handle(current, page.contents()));
            if (page.isTruncated() && !page.contents().isEmpty()) {
                after = page.contents().get(page.contents().size() - 1).key();
            } else {
                prefix = (prefix + 1) % prefixes.size();
                after = null;
                roundDone = prefix == 0;
            }
            position.save(new ListingPosition.Place(prefixes.get(prefix), after));
        }
        return done;
    }
}
