package io.bytekeep.platform.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.ContentMetadata;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 API served in-process by S3Proxy on 127.0.0.1, backed by the jclouds {@code filesystem}
 * provider (objects as files under a base directory) or the jclouds {@code transient} provider
 * (in memory, lost on stop; needed where a key is also the prefix of other keys, which the
 * filesystem backend cannot store because "a" would have to be both a file and a directory).
 *
 * <p>Clients authenticate with AWS signature v2 or v4 using the access key / secret key given to
 * the constructor. Signed streaming uploads ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, as the AWS
 * SDK v2 sends over plain http) and multipart uploads work. S3Proxy 2.6.0 does NOT understand the
 * trailing-checksum variants ({@code ...-PAYLOAD-TRAILER}, {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER})
 * that AWS SDK v2 &gt;= 2.30 sends by default: clients must be built with
 * {@code requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)} (or the system
 * property {@code aws.requestChecksumCalculation=when_required}).
 *
 * <p>Plain class, no Spring annotations: the application creates it with its settings and calls
 * {@link #start()} / {@link #stop()} (both idempotent).
 */
public final class EmbeddedS3Server {

    /** The jclouds provider that stores the objects. */
    public enum Backend {
        /** jclouds {@code filesystem}: one file per object under the base directory (keeps data across restarts). */
        FILESYSTEM("filesystem"),
        /** jclouds {@code transient}: in memory, lost on stop; stores keys that are also prefixes of other keys. */
        TRANSIENT("transient"),
        /**
         * jclouds {@code filesystem} that also stores keys that are prefixes of other keys ({@link PrefixSafeKeys}: each
         * file's name is its key plus U+0001); for the distribution's export tree.
         */
        FILESYSTEM_PREFIX_KEYS("filesystem");

        private final String provider;

        Backend(String provider) {
            this.provider = provider;
        }

        /** The jclouds provider id ("filesystem" or "transient"). */
        public String provider() {
            return provider;
        }

        /** Parses "filesystem" / "transient" (case-insensitive, also the enum names). */
        public static Backend of(String value) {
            Objects.requireNonNull(value, "backend");
            String v = value.trim().toLowerCase(Locale.ROOT);
            for (Backend b : values()) {
                if (b.provider.equals(v) || b.name().toLowerCase(Locale.ROOT).equals(v)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("Unknown S3 backend '" + value + "' (expected filesystem or transient)");
        }

        /** Whether the objects are files under the base directory. */
        public boolean onDisk() {
            return this != TRANSIENT;
        }
    }

    /** A jclouds temporary file: an object key followed by "-" and a random UUID (Bytekeep's keys never end so). */
    static final java.util.regex.Pattern INTERRUPTED_WRITE = java.util.regex.Pattern.compile(
            ".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Host the server binds to: loopback only. */
    public static final String HOST = "127.0.0.1";

    /**
     * Largest non-chunked (whole-body signed, {@code x-amz-content-sha256: <hex>}) AWS v4 request
     * S3Proxy accepts. S3Proxy buffers such a body in memory to check its hash, so this bounds the
     * memory of one request; chunked (streaming) uploads are not buffered and are not limited by it.
     * S3Proxy's own default is 32 MiB; 64 MiB admits a whole-body signed 5-63 MiB object or part.
     */
    public static final long V4_MAX_NON_CHUNKED_REQUEST_SIZE = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final Backend backend;
    private final Path baseDirectory;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;

    private BlobStoreContext blobStoreContext;
    private S3Proxy proxy;
    private URI endpoint;

    /** A filesystem-backed server (the default run uses {@code ./data/s3}). */
    public EmbeddedS3Server(Path baseDirectory, int port, String accessKey, String secretKey) {
        this(Backend.FILESYSTEM, baseDirectory, port, accessKey, secretKey);
    }

    /**
     * @param backend "filesystem" or "transient"
     * @param baseDirectory directory of the objects (filesystem backend; ignored by transient, may be null there)
     * @param port TCP port on 127.0.0.1, 0 for a free one (see {@link #endpoint()} after start)
     */
    public EmbeddedS3Server(String backend, Path baseDirectory, int port, String accessKey, String secretKey) {
        this(Backend.of(backend), baseDirectory, port, accessKey, secretKey);
    }

    /**
     * @param backend which jclouds provider stores the objects
     * @param baseDirectory directory of the objects (filesystem backend; ignored by transient, may be null there)
     * @param port TCP port on 127.0.0.1, 0 for a free one (see {@link #endpoint()} after start)
     * @param accessKey AWS access key id (S3Proxy "identity") clients must sign with
     * @param secretKey AWS secret access key (S3Proxy "credential")
     */
    public EmbeddedS3Server(Backend backend, Path baseDirectory, int port, String accessKey, String secretKey) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (backend.onDisk()) {
            Objects.requireNonNull(baseDirectory, "baseDirectory");
        }
        this.baseDirectory = baseDirectory == null ? null : baseDirectory.toAbsolutePath().normalize();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.requestedPort = port;
        this.accessKey = EmbeddedServers.requireText(accessKey, "accessKey");
        this.secretKey = EmbeddedServers.requireText(secretKey, "secretKey");
    }

    /** Starts the server; does nothing if it is already running. */
    public synchronized void start() {
        if (proxy != null) {
            return;
        }
        BlobStoreContext context = null;
        S3Proxy started = null;
        try {
            context = newBlobStoreContext();
            // Jetty's default thread pool (max 200) and S3Proxy's defaults otherwise; no per-request
            // logging is configured here (S3Proxy and jclouds log requests only at DEBUG/TRACE).
            EmbeddedServers.quietUnlessConfigured("org.gaul.s3proxy.CrossOriginResourceSharing", "org.gaul.shaded.org.eclipse.jetty");
            // a restart binds where clients already point, also when the first start picked a free port
            int port = endpoint != null ? endpoint.getPort() : requestedPort;
            started = S3Proxy.builder()
                    .blobStore(new AwsChunkedEncodingStripper(blobStore(context.getBlobStore())))
                    .endpoint(URI.create("http://" + HOST + ":" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .v4MaxNonChunkedRequestSize(V4_MAX_NON_CHUNKED_REQUEST_SIZE)
                    .build();
            started.start();
            waitUntilStarted(started);
            int boundPort = started.getPort();
            this.endpoint = URI.create("http://" + HOST + ":" + boundPort);
            this.blobStoreContext = context;
            this.proxy = started;
        } catch (Exception e) {
            stopQuietly(started);
            if (context != null) {
                context.close();
            }
            throw new IllegalStateException("Could not start the embedded S3 API on " + HOST + ":" + requestedPort, e);
        }
        LOG.info("Embedded S3 API (S3Proxy, {}) listening on {}", describeBackend(), endpoint);
        if (backend.onDisk()) {
            Instant startedAt = Instant.now();
            Thread cleaner = new Thread(() -> removeInterruptedWrites(startedAt), "embedded-s3-interrupted-writes");
            cleaner.setDaemon(true);
            cleaner.start();
        }
    }

    private BlobStore blobStore(BlobStore provider) {
        return switch (backend) {
            case TRANSIENT -> provider;
            case FILESYSTEM -> new DurableFileWrites(new PagedFileListing(provider, baseDirectory), baseDirectory);
            case FILESYSTEM_PREFIX_KEYS ->
                    new PrefixSafeKeys(new DurableFileWrites(new PagedFileListing(provider, baseDirectory), baseDirectory));
        };
    }

    /**
     * jclouds writes an object to {@code <key>-<random UUID>} and renames it when complete; a process killed in between
     * leaves that file, which S3 clients would list as an object. Removes those written before this start, in the
     * background (the walk is as long as the bucket); later ones belong to uploads under way.
     */
    void removeInterruptedWrites(Instant startedAt) {
        AtomicInteger removed = new AtomicInteger();
        try {
            Files.walkFileTree(baseDirectory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    if (attributes.isRegularFile() && INTERRUPTED_WRITE.matcher(file.getFileName().toString()).matches()
                            && attributes.lastModifiedTime().toInstant().isBefore(startedAt)) {
                        Files.deleteIfExists(file);
                        removed.incrementAndGet();
                        LOG.info("Removed {}: the temporary file of a write that did not complete before the last stop", file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not look for temporary files of interrupted writes under {}", baseDirectory, e);
        }
        if (removed.get() > 0) {
            LOG.info("Embedded S3 API: removed {} temporary files of interrupted writes", removed.get());
        }
    }

    /** Stops the server; does nothing if it is not running. Filesystem data stays on disk. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the embedded S3 API on {} failed", endpoint, e);
        } finally {
            proxy = null;
            if (blobStoreContext != null) {
                blobStoreContext.close();
                blobStoreContext = null;
            }
        }
        LOG.info("Embedded S3 API on {} stopped", endpoint);
    }

    /** Whether {@link #start()} has run and {@link #stop()} has not since. */
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /** The actual endpoint, {@code http://127.0.0.1:PORT}, once started. */
    public synchronized URI endpoint() {
        if (endpoint == null) {
            throw new IllegalStateException("The embedded S3 API has not been started");
        }
        return endpoint;
    }

    /** The actual port once started. */
    public synchronized int port() {
        return endpoint().getPort();
    }

    public Backend backend() {
        return backend;
    }

    /** Absolute base directory of the filesystem backend (null for transient if none was given). */
    public Path baseDirectory() {
        return baseDirectory;
    }

    public String accessKey() {
        return accessKey;
    }

    private BlobStoreContext newBlobStoreContext() throws IOException {
        Properties overrides = new Properties();
        if (backend.onDisk()) {
            Files.createDirectories(baseDirectory);
            overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, baseDirectory.toString());
        }
        return ContextBuilder.newBuilder(backend.provider())
                .overrides(overrides)
                .modules(List.of(new SLF4JLoggingModule()))
                .build(BlobStoreContext.class);
    }

    private static void waitUntilStarted(S3Proxy proxy) throws InterruptedException {
        // S3Proxy.start() starts Jetty synchronously; guard anyway against a connector not yet open.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start, state " + proxy.getState());
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // already failing
        }
    }

    private String describeBackend() {
        return backend.onDisk()
                ? "filesystem backend at " + baseDirectory + (backend == Backend.FILESYSTEM_PREFIX_KEYS
                        ? " (keys that are prefixes of others too)" : "")
                : "transient in-memory backend";
    }

    /**
     * A PUT (or copy, or completed multipart upload) is answered only once the object is on stable storage, as S3
     * promises: jclouds' filesystem backend writes a temporary file and renames it, and never forces either to disk,
     * so a machine that loses power could lose an object whose upload was answered (and whose database row then
     * refers to nothing). Forces the file and the directories up to the bucket's; the parent (which holds the rename)
     * every time, the others once while remembered (up to {@value #REMEMBERED_DIRECTORIES}, then forgotten together:
     * custody makes a directory per case, so the memory must be bounded, and forcing one again is only an fsync).
     */
    static final class DurableFileWrites extends ForwardingBlobStore {

        static final int REMEMBERED_DIRECTORIES = 10_000;

        private final Path baseDirectory;
        private final Set<Path> durableDirectories = ConcurrentHashMap.newKeySet();

        DurableFileWrites(BlobStore delegate, Path baseDirectory) {
            super(delegate);
            this.baseDirectory = baseDirectory;
        }

        @Override
        public String putBlob(String container, Blob blob) {
            return forced(container, blob.getMetadata().getName(), super.putBlob(container, blob));
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            return forced(container, blob.getMetadata().getName(), super.putBlob(container, blob, options));
        }

        @Override
        public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
            return forced(toContainer, toName, super.copyBlob(fromContainer, fromName, toContainer, toName, options));
        }

        @Override
        public String completeMultipartUpload(MultipartUpload upload, List<MultipartPart> parts) {
            return forced(upload.containerName(), upload.blobName(), super.completeMultipartUpload(upload, parts));
        }

        private String forced(String container, String key, String etag) {
            Path bucket = baseDirectory.resolve(container);
            Path file = bucket.resolve(key);
            try {
                if (Files.isRegularFile(file)) {
                    force(file);
                }
                Path parent = file.getParent();
                force(parent);
                for (Path directory = parent; directory != null && directory.startsWith(bucket) && !directory.equals(bucket);
                        directory = directory.getParent()) {
                    if (!durableDirectories.contains(directory)) {
                        force(directory.getParent());
                        if (durableDirectories.size() >= REMEMBERED_DIRECTORIES) {
                            durableDirectories.clear();
                        }
                        durableDirectories.add(directory);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not force " + file + " to disk", e);
            }
            return etag;
        }

        private static void force(Path path) throws IOException {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    /**
     * S3Proxy stores the request's {@code Content-Encoding} as object metadata, including the
     * {@code aws-chunked} transfer marker of signed streaming uploads, and would then serve the
     * object with {@code Content-Encoding: aws-chunked}. Amazon S3 drops that token; so does this.
     */
    static final class AwsChunkedEncodingStripper extends ForwardingBlobStore {

        AwsChunkedEncodingStripper(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public String putBlob(String container, Blob blob) {
            strip(blob);
            return super.putBlob(container, blob);
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            strip(blob);
            return super.putBlob(container, blob, options);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(String container, BlobMetadata blobMetadata, PutOptions options) {
            ContentMetadata cm = blobMetadata == null ? null : blobMetadata.getContentMetadata();
            if (cm instanceof MutableContentMetadata mutable) {
                mutable.setContentEncoding(withoutAwsChunked(mutable.getContentEncoding()));
            }
            return super.initiateMultipartUpload(container, blobMetadata, options);
        }

        private static void strip(Blob blob) {
            if (blob != null && blob.getPayload() != null) {
                MutableContentMetadata cm = blob.getPayload().getContentMetadata();
                cm.setContentEncoding(withoutAwsChunked(cm.getContentEncoding()));
            }
        }

        static String withoutAwsChunked(String contentEncoding) {
            if (contentEncoding == null || !contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked")) {
                return contentEncoding;
            }
            StringBuilder kept = new StringBuilder();
            for (String token : contentEncoding.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase("aws-chunked")) {
                    if (kept.length() > 0) {
                        kept.append(", ");
                    }
                    kept.append(t);
                }
            }
            return kept.length() == 0 ? null : kept.toString();
        }
    }

}
