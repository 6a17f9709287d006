package io.bytekeep.distribution;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import com.google.protobuf.ByteString;

import io.bytekeep.distribution.proto.SignatureInfo;
import io.bytekeep.distribution.proto.TEKSignature;
import io.bytekeep.distribution.proto.TEKSignatureList;

/**
 * Signs an export.bin and builds its export.sig: a {@code TEKSignatureList} with one {@code TEKSignature} whose
 * {@code signature_info}, {@code batch_num} and {@code batch_size} are the caller's (for an archive, those its
 * export.bin was encoded with: {@link ExportEncoder#signatureInfo()} and the batch; parsing a daily export of a quarter
 * of a million keys back to read them cost a run at 3.36M keys about as much live heap as the keys themselves) and whose
 * {@code signature} is the ECDSA P-256 / SHA-256 signature over the complete export.bin, header included, DER-encoded
 * (ASN.1 SEQUENCE of two INTEGERs, as {@code openssl dgst -verify} expects).
 * The nonce is derived from the key and the message (RFC 6979), so signing unchanged content gives identical
 * export.sig bytes and an unchanged archive is byte-identical from one run to the next.
 */
public final class ExportSigner {

    /** The JCA name of the signature algorithm; its output is DER. */
    public static final String ALGORITHM = "SHA256withECDSA";

    private final ECPrivateKeyParameters privateKey;

    /** @param privateKey an EC P-256 private key, e.g. from {@link ExportSigningKey#fromPem(String)} */
    public ExportSigner(PrivateKey privateKey) {
        PrivateKey p256 = ExportSigningKey.requireP256(Objects.requireNonNull(privateKey, "privateKey"));
        try {
            this.privateKey = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(p256);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not a usable EC private key: " + e.getMessage(), e);
        }
    }

    /** The public key (the curve point, compressed): what tells this signer apart from one with another key. */
    public byte[] publicKey() {
        return new FixedPointCombMultiplier().multiply(privateKey.getParameters().getG(), privateKey.getD())
                .getEncoded(true);
    }

    /** The bytes of the export.sig of an export.bin: one signature over it, with this signature info and batch. */
    public byte[] sign(byte[] content, SignatureInfo info, int batchNum, int batchSize) {
        TEKSignature signature = TEKSignature.newBuilder()
                .setSignatureInfo(info)
                .setBatchNum(batchNum)
                .setBatchSize(batchSize)
                .setSignature(ByteString.copyFrom(signature(content)))
                .build();
        return TEKSignatureList.newBuilder().addSignatures(signature).build().toByteArray();
    }

    /** The DER-encoded ECDSA signature (SHA-256, deterministic nonce per RFC 6979) over the bytes. */
    public byte[] signature(byte[] data) {
        SHA256Digest sha256 = new SHA256Digest();
        sha256.update(data, 0, data.length);
        byte[] hash = new byte[sha256.getDigestSize()];
        sha256.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, privateKey);
        BigInteger[] rs = signer.generateSignature(hash);
        try {
            return StandardDSAEncoding.INSTANCE.encode(privateKey.getParameters().getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot DER-encode the signature", e);
        }
    }
}
