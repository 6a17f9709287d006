package io.bytekeep.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.bytekeep.distribution.proto.TEKSignatureList;
import io.bytekeep.publication.ExportFile;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a phone checks of an export archive, with a tool independent of the application: exactly the entries
 * export.bin and export.sig (and the bucket's {@code cwa-hash} of it), and the ECDSA P-256 signature in export.sig over export.bin, verified by
 * {@code openssl dgst -sha256 -verify} with the public key of the signing key.
 */
final class ArchiveSignatureCheck {

    private final String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");
    private final Path dir;
    private final Path publicKey;
    private int checked;

    /** @param signingKey the PKCS#8 PEM the application signs with; its public key is derived by openssl pkey */
    ArchiveSignatureCheck(Path signingKey, Path dir) {
        this.dir = dir;
        this.publicKey = dir.resolve("export-signing-key.pub.pem");
        ExternalTool.Outcome pub = ExternalTool.run(openssl, "pkey", "-in", signingKey.toString(), "-pubout", "-out",
                publicKey.toString());
        assertThat(pub.exitCode()).as(pub.stderr()).isZero();
    }

    /** An archive as the bucket serves it: {@link #assertVerified}, and its {@code cwa-hash} is that of its export.bin. */
    Map<String, byte[]> assertPublished(String key, ResponseBytes<GetObjectResponse> object) throws IOException {
        Map<String, byte[]> entries = assertVerified(key, object.asByteArray());
        assertThat(object.response().metadata()).as(key).containsEntry("cwa-hash", ExportFile.archiveHash(entries.get("export.bin")));
        return entries;
    }

    /** The archive's entries, after checking there are exactly export.bin and export.sig and that the signature verifies. */
    Map<String, byte[]> assertVerified(String key, byte[] zip) throws IOException {
        Map<String, byte[]> entries = Archives.unzip(zip);
        assertThat(entries).as(key).containsOnlyKeys("export.bin", "export.sig");
        assertThat(opensslVerdict(entries.get("export.bin"), entries.get("export.sig"))).as(key).isEqualTo("Verified OK");
        return entries;
    }

    /** openssl's answer for the first signature of export.sig over export.bin ("Verified OK" or the failure). */
    String opensslVerdict(byte[] bin, byte[] sig) throws IOException {
        int n = ++checked;
        Path binFile = Files.write(dir.resolve("export-" + n + ".bin"), bin);
        Path sigFile = Files.write(dir.resolve("export-" + n + ".der"),
                TEKSignatureList.parseFrom(sig).getSignatures(0).getSignature().toByteArray());
        ExternalTool.Outcome verdict = ExternalTool.run(openssl, "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", sigFile.toString(), binFile.toString());
        Files.delete(binFile);
        Files.delete(sigFile);
        return (verdict.stdout() + verdict.stderr()).trim();
    }
}
