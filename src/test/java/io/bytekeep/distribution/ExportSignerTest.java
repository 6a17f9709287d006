package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.distribution.proto.TEKSignature;
import io.bytekeep.distribution.proto.TEKSignatureList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportSignerTest {

    private static final KeyPair KEYS = ExportSigningKey.generate();

    @TempDir
    Path dir;

    private static byte[] exportBin() {
        return new ExportEncoder(ExportEncoderTest.SIGNATURE, null).encode("DE", ExportEncoderTest.START,
                ExportEncoderTest.END, 2, 3, TestKeys.keys(0, 150, ExportEncoderTest.HOUR));
    }

    @Test
    void exportSigHoldsOneSignatureMatchingTheExport() throws Exception {
        byte[] bin = exportBin();
        TEKSignatureList list = TEKSignatureList.parseFrom(new ExportSigner(KEYS.getPrivate()).sign(bin, ExportEncoderTest.SIGNATURE.toProto(), 2, 3));
        assertThat(list.getSignaturesList()).hasSize(1);
        TEKSignature signature = list.getSignatures(0);
        assertThat(signature.getBatchNum()).isEqualTo(2);
        assertThat(signature.getBatchSize()).isEqualTo(3);
        assertThat(signature.getSignatureInfo()).isEqualTo(ExportEncoderTest.SIGNATURE.toProto());
        byte[] der = signature.getSignature().toByteArray();
        assertThat(der[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
        assertThat(ExportSigningKey.verify(KEYS.getPublic(), bin, der)).isTrue();
        bin[bin.length - 1] ^= 1;
        assertThat(ExportSigningKey.verify(KEYS.getPublic(), bin, der)).isFalse();
    }

    @Test
    void opensslVerifiesTheSignatureAndRejectsATamperedExport() throws Exception {
        String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");
        byte[] bin = exportBin();
        byte[] sig = new ExportSigner(KEYS.getPrivate()).sign(bin, ExportEncoderTest.SIGNATURE.toProto(), 2, 3);
        Path exportBin = Files.write(dir.resolve("export.bin"), bin);
        Path sigDer = Files.write(dir.resolve("sig.der"),
                TEKSignatureList.parseFrom(sig).getSignatures(0).getSignature().toByteArray());
        Path pubPem = Files.writeString(dir.resolve("pub.pem"), ExportSigningKey.toPem(KEYS.getPublic()));

        ExternalTool.Outcome verified = ExternalTool.run(openssl, "dgst", "-sha256", "-verify", pubPem.toString(),
                "-signature", sigDer.toString(), exportBin.toString());
        assertThat(verified.stdout().trim()).as("openssl said: %s %s", verified.stdout(), verified.stderr())
                .isEqualTo("Verified OK");
        assertThat(verified.exitCode()).isZero();

        bin[20] ^= 0x01;
        Path tampered = Files.write(dir.resolve("tampered.bin"), bin);
        ExternalTool.Outcome rejected = ExternalTool.run(openssl, "dgst", "-sha256", "-verify", pubPem.toString(),
                "-signature", sigDer.toString(), tampered.toString());
        assertThat(rejected.stdout()).doesNotContain("Verified OK").contains("Verification failure");
        assertThat(rejected.exitCode()).isNotZero();
    }

    @Test
    void aKeyMadeByOpensslLoadsFromPkcs8PemAndSignsForItsPublicKey() throws Exception {
        String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");
        Path keyPem = dir.resolve("key.pem");
        Path pubPem = dir.resolve("pub.pem");
        assertThat(ExternalTool.run(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", keyPem.toString()).exitCode()).isZero();
        assertThat(ExternalTool.run(openssl, "pkey", "-in", keyPem.toString(), "-pubout", "-out", pubPem.toString())
                .exitCode()).isZero();
        String pem = Files.readString(keyPem);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");

        PrivateKey key = ExportSigningKey.fromPem(pem);
        byte[] bin = exportBin();
        Path exportBin = Files.write(dir.resolve("export.bin"), bin);
        Path sigDer = Files.write(dir.resolve("sig.der"), TEKSignatureList.parseFrom(
                        new ExportSigner(key).sign(bin, ExportEncoderTest.SIGNATURE.toProto(), 2, 3))
                .getSignatures(0).getSignature().toByteArray());
        ExternalTool.Outcome verified = ExternalTool.run(openssl, "dgst", "-sha256", "-verify", pubPem.toString(),
                "-signature", sigDer.toString(), exportBin.toString());
        assertThat(verified.stdout().trim()).isEqualTo("Verified OK");
    }

    @Test
    void ourPrivateKeyPemRoundTrips() {
        String pem = ExportSigningKey.toPem(KEYS.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        PrivateKey loaded = ExportSigningKey.fromPem(pem);
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        assertThat(ExportSigningKey.verify(KEYS.getPublic(), data, new ExportSigner(loaded).signature(data))).isTrue();
    }

    @Test
    void onlyP256KeysAreAccepted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        PrivateKey p384 = generator.generateKeyPair().getPrivate();
        assertThatThrownBy(() -> new ExportSigner(p384)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> ExportSigningKey.fromPem(ExportSigningKey.toPem(p384)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportSigningKey.fromPem("not a pem")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signingTheSameExportTwiceGivesTheSameBytesAndAnotherExportAnotherSignature() {
        byte[] data = "export.bin bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ExportSigner signer = new ExportSigner(KEYS.getPrivate());
        assertThat(signer.signature(data)).isEqualTo(signer.signature(data));
        assertThat(signer.signature(data)).isNotEqualTo(signer.signature("other bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(ExportSigningKey.verify(KEYS.getPublic(), data, signer.signature(data))).isTrue();
    }
}
