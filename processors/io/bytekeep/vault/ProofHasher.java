package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/**
 * The proof-of-existence hash of Bytes: {@code <algorithm>:<hex>} of the raw bytes followed by the UTF-8 of
 * Python's {@code str(ended_at.timestamp())}. Streams the content; never holds it whole. A request body streamed
 * straight to storage ({@link StreamedBody}) is read once: its hash is taken on the way there and is known after
 * storage ({@link #takenOnTheWay(Exchange)}).
 */
public final class ProofHasher implements Processor {

    private static final Set<String> SUPPORTED = Set.of("sha224", "sha256", "sha384", "sha512",
            "sha3_224", "sha3_256", "sha3_384", "sha3_512");

    private static final int BUFFER_BYTES = 64 * 1024;

    private final String algorithm;

    /** @param algorithm Bytes' name of the algorithm, e.g. {@code sha512} (BYTES_HASHING_ALGORITHM="SHA512") */
    public ProofHasher(String algorithm) {
        String name = algorithm.toLowerCase(Locale.ROOT).replace('-', '_');
        if (!SUPPORTED.contains(name)) {
            throw new IllegalArgumentException("Unsupported proof hash algorithm '" + algorithm + "'; use one of " + SUPPORTED);
        }
        this.algorithm = name;
        newDigest(); // fail at start-up, not on the first upload
    }

    public String algorithm() {
        return algorithm;
    }

    /** The hasher that produced {@code secureHash} ({@code <algorithm>:<hex>}), to check stored bytes against it. */
    public static ProofHasher forHash(String secureHash) {
        int colon = secureHash.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not a secure hash: " + secureHash);
        }
        return new ProofHasher(secureHash.substring(0, colon));
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        if (raw.content() instanceof StreamedBody body) {
            body.digestOnTheWay(newDigest());
            return;
        }
        try (InputStream content = raw.content().open()) {
            raw.secureHash(hashWhileCopying(content, raw.boefjeMeta().endedAt(), OutputStream.nullOutputStream(),
                    raw.content().size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * After the stored form was written: sets the proof hash of a body hashed on its way to storage, once all of it
     * went through. Other content was hashed by {@link #process(Exchange)} and is left as it is.
     */
    public void takenOnTheWay(Exchange exchange) throws InvalidPayloadException {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        if (!(raw.content() instanceof StreamedBody body)) {
            return;
        }
        if (!body.readWhole()) {
            throw new IllegalStateException("raw file " + raw.id() + " was stored without all of its streamed bytes");
        }
        raw.secureHash(finish(body.digest(), raw.boefjeMeta().endedAt()));
    }

    public String hash(InputStream content, Instant endedAt) throws IOException {
        return hashWhileCopying(content, endedAt, OutputStream.nullOutputStream());
    }

    /** Hashes {@code content} while copying it to {@code sink}, so a reader can check before it answers. */
    public String hashWhileCopying(InputStream content, Instant endedAt, OutputStream sink) throws IOException {
        return hashWhileCopying(content, endedAt, sink, BUFFER_BYTES);
    }

    /**
     * As {@link #hashWhileCopying(InputStream, Instant, OutputStream)}, with a buffer no larger than the content needs:
     * a small file's upload no longer allocates 64 KiB to hash 1 KiB (garbage collection was a sixth of an upload's CPU).
     */
    private String hashWhileCopying(InputStream content, Instant endedAt, OutputStream sink, long sizeHint) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[(int) Math.max(1, Math.min(BUFFER_BYTES, sizeHint))];
        for (int n; (n = content.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            sink.write(buffer, 0, n);
        }
        return finish(digest, endedAt);
    }

    private String finish(MessageDigest digest, Instant endedAt) {
        digest.update(PythonFloatText.ofTimestamp(endedAt).getBytes(StandardCharsets.UTF_8));
        return algorithm + ":" + HexFormat.of().formatHex(digest.digest());
    }

    private MessageDigest newDigest() {
        String javaName = algorithm.startsWith("sha3_")
                ? "SHA3-" + algorithm.substring(5)
                : "SHA-" + algorithm.substring(3);
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(javaName + " is not available in this JVM", e);
        }
    }
}
