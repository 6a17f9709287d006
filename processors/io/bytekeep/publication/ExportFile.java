package io.bytekeep.publication;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One object of a publication to the export bucket as it goes to the object store: a file of the distribution tree,
 * or of a TUF publication (a target copy {@code dir/SHA256.name}, which shares its target's {@link Content}, or a
 * metadata file).
 *
 * @param objectKey   the S3 object key: the local CWA path with its trailing {@code /index} removed, e.g.
 *                    {@code version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5}; see {@link ExportPaths}
 * The content of an archive is made (encoded, signed and zipped) only when it is asked for: an uploader that finds an
 * unchanged archive in the bucket by its {@code cwa-hash} never pays for it.
 *
 * @param content     the object's content: given, or made when asked for and not kept ({@link Content})
 * @param contentType {@link #APPLICATION_ZIP} for archives, {@link #APPLICATION_JSON} for folder listings,
 *                    {@link #TEXT_PLAIN} for the central index
 * @param cwaHash     the {@code cwa-hash} user metadata (seed 004, "cwa-hash"): for an archive the "complex MD5" of
 *                    its export.bin ({@link #archiveHash(byte[])}), for any other file the MD5 of the file itself
 *                    ({@link #md5Hex(byte[])}); lower-case hex. An uploader skips an object whose stored hash is equal.
 * @param kind        what the object is
 */
public record ExportFile(String objectKey, Content content, String contentType, String cwaHash, Kind kind) {

    /**
     * The bytes of a file: given (index files, kept), or made on use by a deterministic maker (archives: encoded, signed
     * and zipped again give the same bytes) and not kept, so a run does not hold the archives it made; their length and
     * SHA-256 are kept once made. Once the bucket holds the bytes ({@link #storedAt}), the maker is let go
     * ({@link #release}), and with it the keys it would encode: further copies are made in the bucket. Thread-safe.
     */
    public static final class Content {
        private volatile Supplier<byte[]> maker;
        private final byte[] given;
        private volatile Facts facts;
        private volatile String storedAt;

        private Content(Supplier<byte[]> maker, byte[] given) {
            this.maker = maker;
            this.given = given;
            this.facts = given == null ? null : Facts.of(given);
        }

        static Content of(byte[] bytes) {
            return new Content(null, bytes.clone());
        }

        static Content lazy(Supplier<byte[]> maker) {
            return new Content(Objects.requireNonNull(maker, "maker"), null);
        }

        /** The bytes, an array of the caller's own. */
        byte[] get() {
            if (given != null) {
                return given.clone();
            }
            Supplier<byte[]> made = maker;
            if (made == null) {
                throw new IllegalStateException("the content was let go once stored at " + storedAt
                        + "; a further copy is made in the bucket");
            }
            byte[] bytes = Objects.requireNonNull(made.get(), "content");
            if (facts == null) {
                facts = Facts.of(bytes);
            }
            return bytes;
        }

        /** The object key of the first object of the current run known to hold exactly these bytes, or null. */
        public String storedAt() {
            return storedAt;
        }

        /** The bucket holds these bytes at the key: put there by this run. */
        synchronized void storedAt(String objectKey) {
            if (storedAt == null) {
                facts();
                storedAt = objectKey;
            }
        }

        /**
         * The bucket holds an object with this content's {@code cwa-hash} and these facts at the key, so the run keeps
         * it: from now on this content is those bytes. A made archive's zip may differ from the stored one (signed
         * earlier, with another key); what is published, and named by TUF, is what the bucket holds.
         */
        synchronized void storedAs(String objectKey, Facts stored) {
            if (storedAt == null) {
                if (given == null) {
                    facts = stored;
                }
                storedAt = objectKey;
            }
        }

        /** True once the length and SHA-256 are known without making the bytes. */
        boolean hasFacts() {
            return facts != null;
        }

        /** Lets the maker (and what it would encode) go once the bucket holds the bytes. */
        void release() {
            if (storedAt != null) {
                maker = null;
            }
        }

        Facts facts() {
            Facts known = facts;
            if (known == null) {
                get();
                known = facts;
            }
            return known;
        }
    }

    /** What is kept of made content: its length and SHA-256 (lower-case hex). */
    record Facts(int length, String sha256) {
        static Facts of(byte[] bytes) {
            try {
                return new Facts(bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }

    public static final String APPLICATION_ZIP = "application/zip";
    public static final String APPLICATION_JSON = "application/json";
    public static final String TEXT_PLAIN = "text/plain";

    /** What an object of the tree is. */
    public enum Kind {
        /** The keys that became distributable in one hour (possibly one batch of several). */
        HOURLY_ARCHIVE,
        /** The keys of one complete day (possibly one batch of several). */
        DAILY_ARCHIVE,
        /** A signed configuration document (exposure or app configuration), zipped like an archive. */
        CONFIGURATION,
        /** A folder listing (JSON) or the central index of all archives (text). */
        INDEX
    }

    public ExportFile {
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(cwaHash, "cwaHash");
        Objects.requireNonNull(kind, "kind");
        if (objectKey.isEmpty() || objectKey.startsWith("/") || objectKey.endsWith("/")
                || objectKey.endsWith("/index")) {
            throw new IllegalArgumentException("not an object key of the tree: '" + objectKey + "'");
        }
    }

    /** An archive: the zip, with the {@code cwa-hash} of the export.bin inside it. */
    public static ExportFile archive(String objectKey, Kind kind, byte[] zip, byte[] exportBin) {
        return archive(objectKey, kind, () -> zip, exportBin);
    }

    /** An archive whose zip is made when asked for (signing and zipping cost; the hash needs only export.bin). */
    public static ExportFile archive(String objectKey, Kind kind, Supplier<byte[]> zip, byte[] exportBin) {
        if (kind == Kind.INDEX) {
            throw new IllegalArgumentException("an archive is an hourly or a daily archive or a configuration document");
        }
        return new ExportFile(objectKey, Content.lazy(zip), APPLICATION_ZIP, archiveHash(exportBin), kind);
    }

    /** An index file (listing or central index), hashed over its own bytes. */
    public static ExportFile index(String objectKey, byte[] content, String contentType) {
        return new ExportFile(objectKey, Content.of(content), contentType, md5Hex(content), Kind.INDEX);
    }

    /** The content, made now for an archive: an array of the caller's own. */
    public byte[] bytes() {
        return content.get();
    }

    /** The size of the content in bytes (made now if it never was). */
    public int size() {
        return content.facts().length();
    }

    /** The SHA-256 of the content, lower-case hex (made now if it never was). */
    public String sha256() {
        return content.facts().sha256();
    }

    /** True for hourly and daily archives and configuration documents: signed zips, uploaded before the indexes. */
    public boolean isArchive() {
        return kind != Kind.INDEX;
    }

    /**
     * The "complex MD5" of seed 004: {@code md5 -q export.bin | tr a-z A-Z | xxd -p -r | md5 -q}. The first md5
     * prints the digest of export.bin as hex, {@code tr} upper-cases it, {@code xxd -p -r} turns the hex back into
     * the 16 raw digest bytes, and the second md5 prints the hex digest of those 16 bytes. So:
     * {@code hex(MD5(MD5(export.bin)))}, the inner MD5 as raw bytes, the result in lower case (what {@code md5 -q}
     * prints). Equivalent to {@code openssl md5 -binary export.bin | openssl md5}.
     */
    public static String archiveHash(byte[] exportBin) {
        return HexFormat.of().formatHex(md5(md5(exportBin)));
    }

    /** Lower-case hex of the MD5 of the bytes. */
    public static String md5Hex(byte[] content) {
        return HexFormat.of().formatHex(md5(content));
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExportFile that
                && objectKey.equals(that.objectKey)
                && Arrays.equals(content.get(), that.content.get())
                && contentType.equals(that.contentType)
                && cwaHash.equals(that.cwaHash)
                && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectKey, contentType, cwaHash, kind);
    }

    @Override
    public String toString() {
        return "ExportFile[" + kind + " " + objectKey + ", " + contentType
                + ", cwaHash=" + cwaHash + "]";
    }
}
