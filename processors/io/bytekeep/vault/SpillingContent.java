package io.bytekeep.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import io.bytekeep.platform.ContentSource;

/**
 * Content written once and then read as often as needed: in memory up to a threshold, beyond it in an
 * {@link EncryptedSpool}, so a large file decoded from a request never sits in the heap.
 */
public final class SpillingContent extends OutputStream {

    /** Where the content goes once it outgrows memory; called at most once. */
    @FunctionalInterface
    public interface SpillFile {
        Path create() throws IOException;
    }

    private final int threshold;
    private final SpillFile spillFile;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private EncryptedSpool.Writer spill;

    public SpillingContent(int threshold, SpillFile spillFile) {
        this.threshold = threshold;
        this.spillFile = spillFile;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (spill == null && memory.size() + length > threshold) {
            spill = EncryptedSpool.create(spillFile.create());
            memory.writeTo(spill.stream());
            memory = null;
        }
        if (spill != null) {
            spill.stream().write(bytes, offset, length);
        } else {
            memory.write(bytes, offset, length);
        }
    }

    @Override
    public void close() throws IOException {
        if (spill != null) {
            spill.stream().close();
        }
    }

    /** What was written, re-readable; closes this stream. */
    public ContentSource content() throws IOException {
        close();
        return spill != null ? spill.spool() : ContentSource.of(memory.toByteArray());
    }
}
