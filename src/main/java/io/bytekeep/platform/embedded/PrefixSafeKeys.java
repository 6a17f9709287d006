package io.bytekeep.platform.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobAccess;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.MutableBlobMetadata;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.domain.internal.MutableBlobMetadataImpl;
import org.jclouds.blobstore.domain.internal.MutableStorageMetadataImpl;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

/**
 * Lets the filesystem backend hold an object whose key is also the prefix of other keys ({@code .../hour} beside
 * {@code .../hour/5}, as the CWA export tree has them): every object is stored under its key plus {@link #SUFFIX}, so
 * the file {@code hour\u0001} and the directory {@code hour} live side by side. The suffix sorts below every character
 * of a key, so a listing's order is the keys' order; listings show the keys without it. Keys that contain the suffix
 * are refused. The export bucket of the embedded default uses it: its objects stay on disk, not on the heap (3.36
 * million keys published take 350 MB with their TUF copies).
 */
final class PrefixSafeKeys extends ForwardingBlobStore {

    /** Appended to every key on disk: the lowest character a key may not contain. */
    static final String SUFFIX = "\u0001";

    PrefixSafeKeys(BlobStore delegate) {
        super(delegate);
    }

    static String stored(String key) {
        if (key.contains(SUFFIX)) {
            throw new IllegalArgumentException("an object key of this store cannot contain U+0001");
        }
        return key + SUFFIX;
    }

    private static boolean isStoredObject(String name) {
        return name != null && name.endsWith(SUFFIX);
    }

    private static String key(String stored) {
        return stored.substring(0, stored.length() - SUFFIX.length());
    }

    @Override
    public boolean blobExists(String container, String name) {
        return super.blobExists(container, stored(name));
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        String name = blob.getMetadata().getName();
        blob.getMetadata().setName(stored(name));
        try {
            return super.putBlob(container, blob, options);
        } finally {
            blob.getMetadata().setName(name);
        }
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
        return super.copyBlob(fromContainer, stored(fromName), toContainer, stored(toName), options);
    }

    @Override
    public BlobMetadata blobMetadata(String container, String name) {
        return withKey(super.blobMetadata(container, stored(name)), name);
    }

    @Override
    public Blob getBlob(String container, String name) {
        return getBlob(container, name, GetOptions.NONE);
    }

    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        Blob blob = super.getBlob(container, stored(name), options);
        if (blob != null) {
            blob.getMetadata().setName(name);
        }
        return blob;
    }

    @Override
    public void removeBlob(String container, String name) {
        super.removeBlob(container, stored(name));
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        super.removeBlobs(container, StreamSupport.stream(names.spliterator(), false).map(PrefixSafeKeys::stored).toList());
    }

    @Override
    public BlobAccess getBlobAccess(String container, String name) {
        return super.getBlobAccess(container, stored(name));
    }

    @Override
    public void setBlobAccess(String container, String name, BlobAccess access) {
        super.setBlobAccess(container, stored(name), access);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container) {
        return list(container, ListContainerOptions.NONE);
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        ListContainerOptions storedOptions = options.clone();
        String marker = options.getMarker();
        if (marker != null && !marker.endsWith("/")) {
            // after the key "a" comes "a/…" and "a-…", after the stored "a\u0001" as well
            storedOptions.afterMarker(stored(marker));
        }
        PageSet<? extends StorageMetadata> page = super.list(container, storedOptions);
        List<StorageMetadata> listed = new ArrayList<>(page.size());
        for (StorageMetadata entry : page) {
            if (entry.getType() != StorageType.BLOB) {
                listed.add(entry);
            } else if (isStoredObject(entry.getName())) {
                listed.add(withKey(entry, key(entry.getName())));
            }
        }
        String next = page.getNextMarker();
        return new PageSetImpl<>(listed, isStoredObject(next) ? key(next) : next);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata, PutOptions options) {
        MutableBlobMetadata storedMetadata = new MutableBlobMetadataImpl(metadata);
        storedMetadata.setName(stored(metadata.getName()));
        return keyed(super.initiateMultipartUpload(container, storedMetadata, options));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(stored(upload));
    }

    @Override
    public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
        return super.completeMultipartUpload(stored(upload), parts);
    }

    @Override
    public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
        return super.uploadMultipartPart(stored(upload), partNumber, payload);
    }

    @Override
    public List<MultipartPart> listMultipartUpload(MultipartUpload upload) {
        return super.listMultipartUpload(stored(upload));
    }

    @Override
    public List<MultipartUpload> listMultipartUploads(String container) {
        return super.listMultipartUploads(container).stream().filter(upload -> isStoredObject(upload.blobName()))
                .map(PrefixSafeKeys::keyed).toList();
    }

    private static MultipartUpload stored(MultipartUpload upload) {
        return MultipartUpload.create(upload.containerName(), stored(upload.blobName()), upload.id(),
                upload.blobMetadata(), upload.putOptions());
    }

    private static MultipartUpload keyed(MultipartUpload upload) {
        return MultipartUpload.create(upload.containerName(), key(upload.blobName()), upload.id(),
                upload.blobMetadata(), upload.putOptions());
    }

    private static BlobMetadata withKey(BlobMetadata metadata, String key) {
        if (metadata == null) {
            return null;
        }
        MutableBlobMetadata keyed = new MutableBlobMetadataImpl(metadata);
        keyed.setName(key);
        return keyed;
    }

    private static StorageMetadata withKey(StorageMetadata metadata, String key) {
        if (metadata instanceof BlobMetadata blob) {
            return withKey(blob, key);
        }
        MutableStorageMetadataImpl keyed = new MutableStorageMetadataImpl(metadata);
        keyed.setName(key);
        return keyed;
    }
}
