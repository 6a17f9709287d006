import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import io.bytekeep.atrest.EnvelopeAesGcmMiddleware;
import io.bytekeep.atrest.KekRing;
import io.bytekeep.platform.ContentSource;
import io.bytekeep.vault.ProofHasher;

/**
 * What the Vault does to a streamed upload's bytes, without HTTP, S3 or disk: the SHA-512 proof hash (ProofHasher)
 * and the ENVELOPE_AES_GCM encoding (EnvelopeAesGcmMiddleware), each a streamed pass over the same content, in one
 * thread. The content is a pseudo-random 8 MiB block repeated up to --bytes, so producing it costs nothing.
 * Writes key=value lines to --out: bytes, seconds per pass, MB/s (10^6 bytes), peak heap of the measured passes.
 * Usage: java -Xmx128m EncryptionThroughput --bytes 1073741824 --chunk 65536 --out result.txt
 */
public class EncryptionThroughput {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long bytes = Long.parseLong(options.getOrDefault("bytes", String.valueOf(1L << 30)));
        int chunk = Integer.parseInt(options.getOrDefault("chunk", "65536"));
        Path out = Path.of(options.getOrDefault("out", "encryption-throughput.txt"));

        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        EnvelopeAesGcmMiddleware envelope = new EnvelopeAesGcmMiddleware(new KekRing(Map.of("bench", kek), null), chunk, new SecureRandom());
        ProofHasher hasher = new ProofHasher("SHA512");
        Instant endedAt = Instant.parse("2026-01-01T00:00:00Z");

        // warm-up: the JIT compiles both passes (and the AES-GCM / SHA-512 intrinsics) before the clock runs
        ContentSource warm = repeated(256L << 20);
        for (int i = 0; i < 2; i++) {
            hasher.hash(warm.open(), endedAt);
            drain(envelope.encode(warm).stored().open());
        }
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        ContentSource content = repeated(bytes);
        long start = System.nanoTime();
        String hash = hasher.hash(content.open(), endedAt);
        long hashed = System.nanoTime();
        long stored = drain(envelope.encode(content).stored().open());
        long encrypted = System.nanoTime();

        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        double hashSeconds = (hashed - start) / 1e9;
        double encryptSeconds = (encrypted - hashed) / 1e9;
        try (PrintWriter writer = new PrintWriter(out.toFile())) {
            writer.printf("bytes=%d%n", bytes);
            writer.printf("stored_bytes=%d%n", stored);
            writer.printf("chunk=%d%n", chunk);
            writer.printf("hash=%s%n", hash.substring(0, 24) + "...");
            writer.printf("hash_seconds=%.3f%n", hashSeconds);
            writer.printf("encrypt_seconds=%.3f%n", encryptSeconds);
            writer.printf("hash_mb_per_s=%.1f%n", bytes / hashSeconds / 1e6);
            writer.printf("encrypt_mb_per_s=%.1f%n", bytes / encryptSeconds / 1e6);
            writer.printf("combined_mb_per_s=%.1f%n", bytes / (hashSeconds + encryptSeconds) / 1e6);
            writer.printf("peak_heap_mb=%.1f%n", peakHeap / 1048576.0);
            writer.printf("max_heap_mb=%.1f%n", Runtime.getRuntime().maxMemory() / 1048576.0);
            writer.printf("sha512_provider=%s%n", java.security.MessageDigest.getInstance("SHA-512").getProvider().getName());
            writer.printf("gcm_provider=%s%n", javax.crypto.Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
        }
    }

    private static long drain(InputStream in) throws Exception {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }

    /** {@code size} bytes: an 8 MiB pseudo-random block, repeated. */
    private static ContentSource repeated(long size) {
        byte[] block = new byte[8 << 20];
        new Random(42).nextBytes(block);
        return new ContentSource() {
            @Override
            public InputStream open() {
                return new InputStream() {
                    private long position;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) {
                        if (position >= size) {
                            return -1;
                        }
                        int at = (int) (position % block.length);
                        int n = (int) Math.min(Math.min(length, block.length - at), size - position);
                        System.arraycopy(block, at, buffer, offset, n);
                        position += n;
                        return n;
                    }
                };
            }

            @Override
            public long size() {
                return size;
            }
        };
    }
}
