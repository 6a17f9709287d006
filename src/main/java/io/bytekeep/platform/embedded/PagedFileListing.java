package io.bytekeep.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * A recursive listing (S3's ListObjects without a delimiter) of the filesystem backend, one page at a time. jclouds'
 * own listing reads the metadata of every object under the prefix and sorts them all for every page, so a sweep over a
 * bucket cost time squared in its size and memory in proportion to it (at about 97,000 objects it exhausted the heap).
 * This one walks the directories in key order from the marker and stops once it has the page: memory is a page plus one
 * directory's candidates for it, and each directory on the way is read once per page. Keys are ordered as the
 * backend's own listing orders them ({@link String#compareTo}, which for the ASCII keys Bytekeep writes is S3's byte
 * order); a directory "a" sorts as "a/". Regular files only: jclouds' temporary files of writes under way
 * ({@link EmbeddedS3Server#INTERRUPTED_WRITE}) are not objects yet. Other listings go to jclouds.
 */
final class PagedFileListing extends ForwardingBlobStore {

    private static final int DEFAULT_PAGE = 1000;

    /** A directory entry and the key it sorts as: an object's key, or a directory's prefix ending in "/". */
    private record Entry(Path path, String key, boolean directory) {
    }

    private final Path baseDirectory;

    PagedFileListing(BlobStore delegate, Path baseDirectory) {
        super(delegate);
        this.baseDirectory = baseDirectory;
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        Path bucket = baseDirectory.resolve(container);
        if (!options.isRecursive() || options.getDelimiter() != null || options.getDir() != null || !Files.isDirectory(bucket)) {
            return super.list(container, options);
        }
        int pageSize = options.getMaxResults() == null ? DEFAULT_PAGE : options.getMaxResults();
        if (pageSize == 0) {
            return new PageSetImpl<>(List.<StorageMetadata>of(), null);
        }
        Bounds bounds = new Bounds(options.getPrefix() == null ? "" : options.getPrefix(), options.getMarker());
        List<String> keys = new ArrayList<>(pageSize + 1);
        try {
            collect(bucket, "", bounds, pageSize + 1, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + bucket, e);
        }
        String nextMarker = keys.size() > pageSize ? keys.get(pageSize - 1) : null;
        List<StorageMetadata> page = new ArrayList<>(Math.min(keys.size(), pageSize));
        for (String key : keys.subList(0, Math.min(keys.size(), pageSize))) {
            BlobMetadata metadata = delegate().blobMetadata(container, key);
            if (metadata != null) {
                page.add(metadata);
            }
        }
        return new PageSetImpl<>(page, nextMarker);
    }

    /** Which keys a listing wants: those with the prefix, after the marker (when there is one). */
    private record Bounds(String prefix, String marker) {

        boolean wants(Entry entry) {
            if (entry.directory()) {
                boolean towardsPrefix = entry.key().startsWith(prefix) || prefix.startsWith(entry.key());
                boolean notBeforeMarker = marker == null || entry.key().compareTo(marker) > 0 || marker.startsWith(entry.key());
                return towardsPrefix && notBeforeMarker;
            }
            return entry.key().startsWith(prefix) && (marker == null || entry.key().compareTo(marker) > 0)
                    && !EmbeddedS3Server.INTERRUPTED_WRITE.matcher(entry.path().getFileName().toString()).matches();
        }
    }

    /**
     * Adds to {@code keys}, in order, the wanted keys under {@code directory} until it holds {@code limit}. Takes the
     * directory's first entries (files and subdirectories) that could fill the rest, then lists the directory again
     * after the last one taken only when those did not (empty subdirectories, keys outside the bounds).
     */
    private void collect(Path directory, String directoryKey, Bounds bounds, int limit, List<String> keys) throws IOException {
        String after = null;
        while (keys.size() < limit) {
            int room = limit - keys.size();
            PriorityQueue<Entry> first = new PriorityQueue<>(Comparator.comparing(Entry::key).reversed());
            boolean more = false;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path path : entries) {
                    Entry entry = entry(path, directoryKey);
                    if (entry == null || (after != null && entry.key().compareTo(after) <= 0) || !bounds.wants(entry)) {
                        continue;
                    }
                    first.add(entry);
                    if (first.size() > room) {
                        first.poll();
                        more = true;
                    }
                }
            } catch (NoSuchFileException removedMeanwhile) {
                return;
            }
            List<Entry> taken = new ArrayList<>(first);
            taken.sort(Comparator.comparing(Entry::key));
            for (Entry entry : taken) {
                if (keys.size() == limit) {
                    return;
                }
                if (entry.directory()) {
                    collect(entry.path(), entry.key(), bounds, limit, keys);
                } else {
                    keys.add(entry.key());
                }
                after = entry.key();
            }
            if (!more) {
                return;
            }
        }
    }

    private static Entry entry(Path path, String directoryKey) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException removedMeanwhile) {
            return null;
        }
        String name = path.getFileName().toString();
        if (attributes.isDirectory()) {
            return new Entry(path, directoryKey + name + "/", true);
        }
        return attributes.isRegularFile() ? new Entry(path, directoryKey + name, false) : null;
    }
}
