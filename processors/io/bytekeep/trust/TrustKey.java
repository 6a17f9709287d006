package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A public key as TUF metadata names it (python-securesystemslib's {@code SSlibKey}):
 * <ul>
 *   <li>Ed25519: keytype and scheme {@code ed25519}, {@code keyval.public} the 32 raw bytes in lower-case hex;</li>
 *   <li>ECDSA P-256: keytype {@code ecdsa}, scheme {@code ecdsa-sha2-nistp256}, {@code keyval.public} the
 *       SubjectPublicKeyInfo as PEM, 64 characters a line, with the final line break (what {@code cryptography}'s
 *       {@code public_bytes(PEM, SubjectPublicKeyInfo)} writes).</li>
 * </ul>
 * The key id is the SHA-256 (hex) of the canonical JSON of {@code {keytype, keyval, scheme}}.
 */
public final class TrustKey {

    public static final String ED25519 = "ed25519";
    public static final String ECDSA = "ecdsa";
    public static final String ECDSA_P256_SCHEME = "ecdsa-sha2-nistp256";

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String keytype;
    private final String scheme;
    private final String publicValue;
    private final PublicKey publicKey;
    private final String keyid;

    private TrustKey(String keytype, String scheme, String publicValue, PublicKey publicKey) {
        this.keytype = keytype;
        this.scheme = scheme;
        this.publicValue = publicValue;
        this.publicKey = publicKey;
        this.keyid = HexFormat.of().formatHex(sha256(CanonicalJson.encode(toJson())));
    }

    /** The TUF form of a JCA public key (Ed25519, or EC on P-256). */
    public static TrustKey of(PublicKey key) {
        byte[] spki = key.getEncoded();
        if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
            if (spki.length != ED25519_SPKI_PREFIX.length + 32
                    || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
                throw new IllegalArgumentException("not an Ed25519 public key");
            }
            String hex = HexFormat.of().formatHex(spki, ED25519_SPKI_PREFIX.length, spki.length);
            return new TrustKey(ED25519, ED25519, hex, key);
        }
        if ("EC".equals(key.getAlgorithm())) {
            return new TrustKey(ECDSA, ECDSA_P256_SCHEME, pem(spki), key);
        }
        throw new IllegalArgumentException("TUF keys here are Ed25519 or ECDSA P-256, not " + key.getAlgorithm());
    }

    /** A key of TUF metadata ({@code {keytype, scheme, keyval: {public}}}). */
    public static TrustKey fromJson(Map<?, ?> json) {
        String keytype = (String) json.get("keytype");
        String scheme = (String) json.get("scheme");
        Object keyval = json.get("keyval");
        if (!(keyval instanceof Map<?, ?> values) || !(values.get("public") instanceof String value)) {
            throw new IllegalArgumentException("a TUF key needs keyval.public");
        }
        try {
            if (ED25519.equals(keytype) && ED25519.equals(scheme)) {
                byte[] raw = HexFormat.of().parseHex(value);
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
                return of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            }
            if (ECDSA.equals(keytype) && ECDSA_P256_SCHEME.equals(scheme)) {
                String base64 = value.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                return of(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable " + keytype + " key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported key type/scheme " + keytype + "/" + scheme);
    }

    /** {@code {keytype, keyval: {public}, scheme}}, the object in the {@code keys} of root and delegations. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keytype", keytype);
        json.put("keyval", Map.of("public", publicValue));
        json.put("scheme", scheme);
        return json;
    }

    public String keyid() {
        return keyid;
    }

    public String keytype() {
        return keytype;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The JCA name of the signature scheme: Ed25519 signs the message itself, ECDSA its SHA-256 (DER output). */
    String algorithm() {
        return ED25519.equals(keytype) ? "Ed25519" : "SHA256withECDSA";
    }

    /** True if the signature (as TUF carries it, hex) over the bytes verifies with this key; false for garbage. */
    public boolean verifies(byte[] data, String signatureHex) {
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(signatureHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm());
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with " + algorithm(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustKey that && keyid.equals(that.keyid);
    }

    @Override
    public int hashCode() {
        return keyid.hashCode();
    }

    @Override
    public String toString() {
        return keytype + " key " + keyid;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String pem(byte[] spki) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki);
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }
}
