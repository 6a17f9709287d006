package io.bytekeep.custody.envelope;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JceGenericKey;

/**
 * AES-256-GCM content encryption for BouncyCastle's CMS stream generator, on the JDK's cipher (AES-NI and carry-less
 * multiply intrinsics: about ten times BouncyCastle's Java GCM). A fresh key and a random 96-bit nonce per envelope;
 * the 128-bit tag, which the JDK appends to the last ciphertext, is held back from the content and handed to the
 * generator as the AuthEnvelopedData mac. Opening stays with BouncyCastle, which streams where the JDK buffers.
 */
final class JdkAesGcmEncryptor implements OutputAEADEncryptor {

    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final AlgorithmIdentifier algorithm;
    private final Cipher cipher;
    private byte[] mac;
    private boolean contentStarted;

    JdkAesGcmEncryptor() throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, RANDOM);
        key = generator.generateKey();
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        algorithm = new AlgorithmIdentifier(CMSAlgorithm.AES256_GCM, new GCMParameters(nonce, TAG_BYTES));
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public GenericKey getKey() {
        return new JceGenericKey(algorithm, key);
    }

    /** Authenticated attributes, if a generator has any, must come before the content (GCM's rule). */
    @Override
    public OutputStream getAADStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (contentStarted) {
                    throw new IllegalStateException("additional authenticated data after the content");
                }
                cipher.updateAAD(bytes, offset, length);
            }
        };
    }

    @Override
    public OutputStream getOutputStream(OutputStream content) {
        return new FilterOutputStream(content) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                contentStarted = true;
                byte[] encrypted = cipher.update(bytes, offset, length);
                if (encrypted != null) {
                    out.write(encrypted);
                }
            }

            /** Finishes the content; the generator closes the octet string it wraps itself (closing it here twice breaks the DER). */
            @Override
            public void close() throws IOException {
                try {
                    byte[] last = cipher.doFinal();
                    out.write(last, 0, last.length - TAG_BYTES);
                    mac = Arrays.copyOfRange(last, last.length - TAG_BYTES, last.length);
                } catch (GeneralSecurityException e) {
                    throw new IOException("AES-GCM failed to finish", e);
                }
            }
        };
    }

    @Override
    public byte[] getMAC() {
        if (mac == null) {
            throw new IllegalStateException("the content is not complete yet");
        }
        return mac.clone();
    }
}
