package io.bytekeep.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.JsonNode;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.atrest.DecryptionRefused;
import io.bytekeep.sharing.DocumentKeyWrap;

/**
 * Shared documents from the client's side: the document key is made here and leaves only wrapped for a user's
 * public key; the file is encrypted while it is read ({@link ChunkedAeadFormat}, the Vault's ENVELOPE_AES_GCM chunks)
 * and its parts go to S3 in parallel over presigned URLs; a download (parallel ranged GETs) is decrypted while it
 * arrives, into a temporary file that becomes the output only when the plaintext's size and SHA-256 match what the
 * owner declared.
 */
public final class DocumentClient {

    public static final String FORMAT = "BKEG-AES-256-GCM-STREAM";
    /** Small chunks: many calls get the AES-GCM intrinsics compiled early (1 MiB chunks ran the first ~500 MB at ~100 MB/s). */
    static final int CHUNK_SIZE = 64 * 1024;
    private static final int PART_ATTEMPTS = 3;
    private static final long DOWNLOAD_RANGE = 8L * 1024 * 1024;

    public record Uploaded(String id, String name, long size, String sha256, int parts) {
    }

    public record Downloaded(String id, Path file, long size, String sha256) {
    }

    private final BytekeepClient api;
    private final byte[] privateKey;
    private final SecureRandom random = new SecureRandom();
    private int parallelism = 4;
    private String organization;

    public DocumentClient(BytekeepClient api, byte[] privateKey) {
        this.api = api;
        this.privateKey = privateKey;
    }

    /** The public key the server holds for the caller; empty when none is registered. */
    public static Optional<byte[]> registeredKey(BytekeepClient api) throws ClientException {
        Optional<JsonNode> registered = api.find("/users/me/key");
        try {
            return registered.map(key -> DocumentKeyWrap.decodePublicKey(key.path("public_key").asText()));
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.SERVER, "the server answered an unusable key of yours", e);
        }
    }

    /** Generates nothing: registers the public half of this client's private key. */
    public JsonNode registerKey() throws ClientException {
        return api.put("/users/me/key", Map.of("public_key",
                Base64.getEncoder().encodeToString(DocumentKeyWrap.publicKey(privateKey))));
    }

    public Uploaded upload(Path file, String contentType, Progress progress) throws ClientException {
        if (!Files.isRegularFile(file)) {
            throw new ClientException(ClientException.BAD_INPUT, "no such file: " + file);
        }
        BulkCrypto.prepare();
        Digest plain = digest(file);
        byte[] documentKey = new byte[DocumentKeyWrap.KEY_BYTES];
        random.nextBytes(documentKey);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.newHeader(CHUNK_SIZE, random);
        long encryptedSize = ChunkedAeadFormat.storedSize(plain.size(), CHUNK_SIZE);
        Map<String, Object> request = BytekeepClient.map("name", file.getFileName().toString(), "size", plain.size(),
                "content_type", contentType, "sha256", plain.sha256(), "encryption", FORMAT, "chunk_size", CHUNK_SIZE,
                "encrypted_size", encryptedSize,
                "wrapped_key", DocumentKeyWrap.wrap(documentKey, DocumentKeyWrap.publicKey(privateKey), random),
                "organization", organization);
        JsonNode plan = api.post("/documents", request);
        String id = plan.get("id").asText();
        List<Map<String, Object>> parts;
        try {
            parts = uploadParts(file, documentKey, header, plan.get("parts"), progress);
            api.post(documentPath(id) + "/complete", Map.of("parts", parts));
        } catch (ClientException e) {
            // no resume: the declared document goes now rather than with the server's abandoned-upload sweep
            try {
                delete(id);
            } catch (ClientException cleanupFailed) {
                e.addSuppressed(cleanupFailed);
            }
            throw e;
        }
        return new Uploaded(id, file.getFileName().toString(), plain.size(), plain.sha256(), parts.size());
    }

    /** The organisation new documents belong to (one of the user's); null: the server takes the user's first. */
    public DocumentClient organization(String organization) {
        this.organization = organization;
        return this;
    }

    /** Reads the ciphertext part by part (bounded memory: at most {@code parallelism} parts in flight). */
    private List<Map<String, Object>> uploadParts(Path file, byte[] documentKey, ChunkedAeadFormat.Header header,
                                                  JsonNode plannedParts, Progress progress) throws ClientException {
        int parallelism = Math.max(1, Math.min(plannedParts.size(), this.parallelism));
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        Semaphore inFlight = new Semaphore(parallelism);
        List<Future<String>> etags = new ArrayList<>();
        long total = 0;
        for (JsonNode part : plannedParts) {
            total += part.get("length").asLong();
        }
        progress.start("upload", total);
        try (InputStream ciphertext = ChunkedAeadFormat.encrypt(Files.newInputStream(file), documentKey, header, BulkCrypto.provider())) {
            for (JsonNode part : plannedParts) {
                byte[] bytes = ciphertext.readNBytes(Math.toIntExact(part.get("length").asLong()));
                if (bytes.length != part.get("length").asLong()) {
                    throw new ClientException(ClientException.BAD_INPUT, file + " changed while it was uploaded");
                }
                URI url = URI.create(part.get("url").asText());
                inFlight.acquire();
                etags.add(pool.submit(() -> {
                    try {
                        String etag = putPart(url, bytes, part.get("number").asInt());
                        progress.advance(bytes.length);
                        return etag;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            if (ciphertext.read() >= 0) {
                throw new ClientException(ClientException.BAD_INPUT, file + " changed while it was uploaded");
            }
            List<Map<String, Object>> parts = new ArrayList<>();
            for (int i = 0; i < etags.size(); i++) {
                parts.add(Map.of("number", i + 1, "etag", etags.get(i).get()));
            }
            return parts;
        } catch (IOException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ClientException c ? c
                    : new ClientException(ClientException.SERVER, "upload failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.SERVER, "interrupted", e);
        } finally {
            pool.shutdownNow();
            progress.finish();
        }
    }

    public DocumentClient parallelism(int parallelism) {
        this.parallelism = parallelism;
        return this;
    }

    private String putPart(URI url, byte[] bytes, int number) throws ClientException {
        ClientException last = null;
        for (int attempt = 1; attempt <= PART_ATTEMPTS; attempt++) {
            try {
                PresignedTransfers.PutResult result = PresignedTransfers.put(url, bytes);
                if (result.status() == 200) {
                    if (result.etag() == null) {
                        throw new ClientException(ClientException.SERVER, "S3 answered part " + number + " without an ETag");
                    }
                    return result.etag();
                }
                last = new ClientException(result.status() >= 500 ? ClientException.SERVER : ClientException.NOT_FOUND,
                        "S3 refused part " + number + " (" + result.status() + ")");
                if (result.status() < 500) {
                    throw last;
                }
            } catch (ClientException e) {
                if (e.exitCode() != ClientException.SERVER) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    public Downloaded download(String id, Path output, boolean overwrite, Progress progress) throws ClientException {
        BulkCrypto.prepare();
        JsonNode document = api.get(documentPath(id));
        Path target = output != null ? output : Path.of(Path.of(document.get("name").asText()).getFileName().toString());
        if (Files.exists(target) && !overwrite) {
            throw new ClientException(ClientException.BAD_INPUT, target + " exists (use --force to replace it)");
        }
        byte[] documentKey;
        try {
            documentKey = DocumentKeyWrap.unwrap(document.get("wrapped_key").asText(), privateKey);
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.VERIFICATION_FAILED, "the document key does not open with your key: "
                    + e.getMessage(), e);
        }
        URI url = URI.create(document.get("download").get("url").asText());
        long encryptedSize = document.get("encryption").get("encrypted_size").asLong();
        long size = document.get("size").asLong();
        Path absolute = target.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".bytekeep-partial");
        progress.start("download", size);
        try {
            MessageDigest sha256 = BulkCrypto.sha256();
            long written = 0;
            try (DecryptingDownload plain = new DecryptingDownload(url, encryptedSize, documentKey, DOWNLOAD_RANGE, parallelism);
                 OutputStream out = Files.newOutputStream(partial)) {
                for (byte[] block; (block = plain.nextBlock()) != null; ) {
                    sha256.update(block);
                    out.write(block);
                    written += block.length;
                    progress.advance(block.length);
                }
            }
            byte[] expected = HexFormat.of().parseHex(document.get("sha256").asText());
            byte[] actual = sha256.digest();
            if (written != size || !MessageDigest.isEqual(expected, actual)) {
                throw new ClientException(ClientException.VERIFICATION_FAILED, "document " + id + " does not match its SHA-256 "
                        + "(got " + written + " bytes, " + HexFormat.of().formatHex(actual) + ")");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Downloaded(id, target, written, HexFormat.of().formatHex(actual));
        } catch (DecryptionRefused e) {
            throw new ClientException(ClientException.VERIFICATION_FAILED, "document " + id + " failed decryption: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getCause() instanceof ClientException refused) {
                throw refused;
            }
            throw new ClientException(ClientException.SERVER, "download of " + id + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
            progress.finish();
        }
    }

    /** Re-wraps the document key for {@code user}'s registered public key; answers that key's fingerprint. */
    public String share(String id, String user) throws ClientException {
        JsonNode document = api.get(documentPath(id) + "?download=false");
        byte[] documentKey;
        try {
            documentKey = DocumentKeyWrap.unwrap(document.get("wrapped_key").asText(), privateKey);
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.VERIFICATION_FAILED, "the document key does not open with your key", e);
        }
        byte[] granteeKey;
        try {
            granteeKey = DocumentKeyWrap.decodePublicKey(api.get("/users/" + encode(user) + "/key").get("public_key").asText());
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.SERVER, "the server answered an unusable key of " + user, e);
        }
        api.post(documentPath(id) + "/shares", Map.of("user", user,
                "wrapped_key", DocumentKeyWrap.wrap(documentKey, granteeKey, random)));
        return fingerprint(granteeKey);
    }

    public void revoke(String id, String user) throws ClientException {
        api.delete(documentPath(id) + "/shares/" + encode(user));
    }

    /** Deletes an own document: its ciphertext (or unfinished upload) in S3, its grants, the document. */
    public void delete(String id) throws ClientException {
        api.delete(documentPath(id));
    }

    public JsonNode list() throws ClientException {
        return api.get("/documents");
    }

    /** SHA-256 of the raw public key, hex: compare it with the user out of band. */
    public static String fingerprint(byte[] publicKey) {
        return HexFormat.of().formatHex(BulkCrypto.sha256().digest(publicKey));
    }

    /** The path of a document; the id is encoded, so a mistyped one is a 404, never a malformed request. */
    private static String documentPath(String id) {
        return "/documents/" + encode(id);
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Digest(long size, String sha256) {
    }

    private static Digest digest(Path file) throws ClientException {
        MessageDigest sha256 = BulkCrypto.sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1024 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }


    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .bytekeep-partial file is never the output
        }
    }
}
