package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.custody.chain.LinkSignatures;
import io.bytekeep.custody.chain.SignedBytes;
import io.bytekeep.custody.envelope.EnvelopeRecipient;
import io.bytekeep.custody.envelope.EnvelopeSealer;
import io.bytekeep.custody.envelope.SubjectKeyIds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent implementation, OpenSSL 3.0, opens Bytekeep's envelopes with an RSA recipient's key and verifies
 * custody link signatures over the bytes docs/VERIFY.md defines. (OpenSSL 3.0 has no X25519 recipients in CMS; the
 * X25519 path is covered by EnvelopeTest.) A missing openssl fails the test; it is never skipped.
 */
class OpenSslInteropTest {

    @TempDir
    Path dir;

    @Test
    void opensslOpensAnEnvelopeWithTheRsaRecipientsKey() throws Exception {
        KeyPair rsa = CustodyKeys.generate("RSA");
        byte[] plain = new byte[2 * 1024 * 1024 + 3];
        new Random(7).nextBytes(plain);
        Path envelope = dir.resolve("env.der");
        try (OutputStream out = Files.newOutputStream(envelope)) {
            new EnvelopeSealer().seal(List.of(new EnvelopeRecipient("station-a", CustodyKeys.generate("X25519").getPublic()),
                    new EnvelopeRecipient("station-b", rsa.getPublic())), new ByteArrayInputStream(plain), out);
        }
        Files.writeString(dir.resolve("key.pem"), CustodyKeys.toPem(rsa.getPrivate()));
        writeCertificate(rsa, dir.resolve("cert.pem"));

        Outcome opened = openssl("cms", "-decrypt", "-inform", "DER", "-in", "env.der", "-inkey", "key.pem",
                "-recip", "cert.pem", "-binary", "-out", "plain.bin");
        assertThat(opened.exitCode()).as(opened.output()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("plain.bin"))).isEqualTo(plain);

        byte[] tampered = Files.readAllBytes(envelope);
        tampered[tampered.length / 2] ^= 1;
        Files.write(dir.resolve("tampered.der"), tampered);
        Outcome refused = openssl("cms", "-decrypt", "-inform", "DER", "-in", "tampered.der", "-inkey", "key.pem",
                "-recip", "cert.pem", "-binary", "-out", "tampered.bin");
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    }

    @Test
    void opensslVerifiesAnEd25519LinkSignatureOverTheDocumentedBytes() throws Exception {
        KeyPair key = CustodyKeys.generate("Ed25519");
        UUID caseId = UUID.randomUUID();
        CustodyLink link = signedLink(caseId, key);
        writeSignatureFiles(caseId, link, key);

        Outcome verified = openssl("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "signed.bin",
                "-sigfile", "sig.bin");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Signature Verified Successfully");

        Files.write(dir.resolve("signed.bin"), SignedBytes.of(caseId, new CustodyLink(link.index(), link.stationId(),
                link.kind(), link.previousSignature(), "sha256:" + "00".repeat(32), link.metadata(), link.signature())));
        assertThat(openssl("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "signed.bin",
                "-sigfile", "sig.bin").exitCode()).isNotZero();
    }

    @Test
    void opensslVerifiesAnEcdsaP256LinkSignatureOverTheDocumentedBytes() throws Exception {
        KeyPair key = CustodyKeys.generate("P-256");
        UUID caseId = UUID.randomUUID();
        CustodyLink link = signedLink(caseId, key);
        writeSignatureFiles(caseId, link, key);

        Outcome verified = openssl("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "signed.bin");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Verified OK");
    }

    private static CustodyLink signedLink(UUID caseId, KeyPair key) {
        CustodyLink link = new CustodyLink(1, "station-a", CustodyLink.STEP,
                Base64.getEncoder().encodeToString("previous link's signature".getBytes(StandardCharsets.UTF_8)),
                "sha256:" + "ab".repeat(32), CustodyLink.metadata(Map.of("step", "normalize", "tool", "kat-1.2")), null);
        return LinkSignatures.sign(caseId, link, key.getPrivate());
    }

    private void writeSignatureFiles(UUID caseId, CustodyLink link, KeyPair key) throws IOException {
        Files.write(dir.resolve("signed.bin"), SignedBytes.of(caseId, link));
        Files.write(dir.resolve("sig.bin"), Base64.getDecoder().decode(link.signature()));
        Files.writeString(dir.resolve("pub.pem"), CustodyKeys.toPem(key.getPublic()));
    }

    /** A self-signed certificate whose subject key identifier names the key as Bytekeep's envelopes do. */
    private static void writeCertificate(KeyPair key, Path file) throws Exception {
        X500Name name = new X500Name("CN=station-b");
        Instant now = Instant.now();
        X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, key.getPublic())
                .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(SubjectKeyIds.of(key.getPublic())))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(CustodyKeys.PROVIDER).build(key.getPrivate()));
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            writer.writeObject(certificate);
        }
    }

    private record Outcome(int exitCode, String output) {
    }

    private Outcome openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
