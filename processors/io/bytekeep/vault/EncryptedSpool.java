package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.KeystreamXor;

/**
 * A streamed upload spooled to disk without its plaintext: AES-256-CTR under a key that exists only in this object's
 * memory, so a spool file left by a crash, a backup or a disk image shows nothing. CTR keeps the size and streams
 * at AES-NI speed; the file lives for one request and integrity is the proof hash's job (it is taken over these
 * bytes, then re-checked on every read).
 */
public final class EncryptedSpool implements ContentSource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretKey key;
    private final byte[] iv;

    private EncryptedSpool(Path file, SecretKey key, byte[] iv) {
        this.file = file;
        this.key = key;
        this.iv = iv;
    }

    /** Writes {@code plain} encrypted into {@code file} (created or replaced) and returns it as re-readable content. */
    public static EncryptedSpool write(Path file, InputStream plain) throws IOException {
        Writer writer = create(file);
        try (OutputStream out = writer.stream()) {
            plain.transferTo(out);
        }
        return writer.spool();
    }

    /** A spool being written: bytes go to {@link Writer#stream()}; once it is closed, {@link Writer#spool()} reads them. */
    public static Writer create(Path file) throws IOException {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            byte[] iv = new byte[16];
            RANDOM.nextBytes(iv);
            EncryptedSpool spool = new EncryptedSpool(file, generator.generateKey(), iv);
            return new Writer(spool, new CipherOutputStream(Files.newOutputStream(file), spool.cipher(Cipher.ENCRYPT_MODE)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available", e);
        }
    }

    public record Writer(EncryptedSpool spool, OutputStream stream) {
    }

    /**
     * The plain bytes, decrypted in place as they are read: as many per read as the file gives (CipherInputStream
     * hands out 512 bytes a read, and a 1 GiB download answered from here went out in two million writes).
     */
    @Override
    public InputStream open() throws IOException {
        Cipher cipher = cipher(Cipher.DECRYPT_MODE);
        return new KeystreamXor(Files.newInputStream(file), (bytes, offset, length) -> {
            try {
                cipher.update(bytes, offset, length, bytes, offset);
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-256-CTR failed on the spool file", e);
            }
        });
    }

    @Override
    public long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Cipher cipher(int mode) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, key, new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available", e);
        }
    }
}
