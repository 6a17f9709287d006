package io.bytekeep.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs export.bin and export.sig into the archive the phones download: a zip with exactly two entries, in this
 * order, {@code export.bin} then {@code export.sig}, both deflated at the constructor's level.
 * <p>
 * The archive is reproducible: identical inputs give identical bytes on any machine whatever its time zone, because
 * <ul>
 *   <li>both entries carry the fixed MS-DOS date-time 2000-01-01 00:00:00, set with
 *       {@link ZipEntry#setTimeLocal(LocalDateTime)}, which writes those fields as given (no conversion through the
 *       default time zone, unlike {@code setTime}) and, for a date between 1980 and 2107, adds no extended-timestamp
 *       extra field (unlike {@code setLastModifiedTime});</li>
 *   <li>no entry has extra fields or a comment, and the archive has no comment;</li>
 *   <li>the compression level is fixed.</li>
 * </ul>
 * The deflate output can only change with the JVM's zlib (a JDK upgrade), never between two runs of one JVM.
 * With {@link ExportSigner}'s deterministic signatures, unchanged keys therefore give an unchanged archive.
 */
public final class ArchiveZipper {

    public static final String EXPORT_BIN = "export.bin";
    public static final String EXPORT_SIG = "export.sig";
    /** The entries' fixed modification time, as written into the MS-DOS date and time fields. */
    public static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0, 0);
    /** The default compression level. */
    public static final int DEFAULT_LEVEL = Deflater.BEST_COMPRESSION;

    private final int level;

    /** An archiver with {@link #DEFAULT_LEVEL}. */
    public ArchiveZipper() {
        this(DEFAULT_LEVEL);
    }

    /** @param level deflate level 0..9 */
    public ArchiveZipper(int level) {
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compression level must be 0..9, was " + level);
        }
        this.level = level;
    }

    /** The archive of one export. */
    public byte[] zip(byte[] exportBin, byte[] exportSig) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(exportBin.length + exportSig.length + 512);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setMethod(ZipOutputStream.DEFLATED);
            zip.setLevel(level);
            write(zip, EXPORT_BIN, exportBin);
            write(zip, EXPORT_SIG, exportSig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
