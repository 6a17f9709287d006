package io.bytekeep.custody;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static io.bytekeep.custody.EncryptionAtRestIT.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment with NACL_SEALBOX (Bytes' BYTES_ENCRYPTION_MIDDLEWARE=NACL_SEALBOX): libsodium opens its objects.
 * Organisation org-b keeps ENVELOPE_AES_GCM (bytekeep.vault.organization-encryption).
 */
@TestPropertySource(properties = {
        "bytekeep.vault.encryption=NACL_SEALBOX",
        "bytekeep.vault.organization-encryption.org-b=ENVELOPE_AES_GCM",
        "bytekeep.custody.sealbox.private-key-b64=" + EncryptionAtRestIT.SEAL_PRIVATE,
        "bytekeep.custody.sealbox.public-key-b64=" + EncryptionAtRestIT.SEAL_PUBLIC})
@DirtiesContext // its own context: closed after the class, so its queue consumers do not outlive it
class SealedBoxStorageIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2024-02-03T04:05:06.789Z");
    private static final byte[] PLAIN = "KAT for president\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    @Autowired
    S3Client s3;

    @TempDir
    Path dir;

    @Test
    void theObjectIsASealedBoxThatLibsodiumOpensAndTheApiReadsBack() throws Exception {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", PLAIN, "text/plain");

        Map<String, Object> row = jdbc.queryForMap("select encryption, key_id, wrapped_key, storage_key from raw_file where id = ?", rawId);
        assertThat(row.get("encryption")).isEqualTo("NACL_SEALBOX");
        assertThat(row.get("key_id")).isEqualTo(SealedBoxMiddleware.keyId(Base64.getDecoder().decode(EncryptionAtRestIT.SEAL_PUBLIC)));
        assertThat(row.get("wrapped_key")).isNull();
        String key = (String) row.get("storage_key");
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertThat(stored).hasSize(PLAIN.length + 48);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("KAT for president");
        EncryptionAtRestIT.assertNoKeyIn(stored, s3.headObject(b -> b.bucket(BUCKET).key(key)),
                Base64.getDecoder().decode(EncryptionAtRestIT.SEAL_PRIVATE));

        Path sealed = Files.write(dir.resolve("sealed"), stored);
        SealedBoxInteropTest.sodium("open", EncryptionAtRestIT.SEAL_PUBLIC, EncryptionAtRestIT.SEAL_PRIVATE,
                sealed.toString(), dir.resolve("opened").toString());
        assertThat(Files.readAllBytes(dir.resolve("opened"))).isEqualTo(PLAIN);

        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(PLAIN);
    }

    @Test
    void anOrganisationWithItsOwnMiddlewareIsWrittenWithItAndBothReadBack() {
        ApiClient api = as("bytes");
        UUID sealedRaw = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "a", PLAIN, "text/plain");
        UUID envelopeRaw = uploadRaw(api, createBoefjeMeta(api, "org-b", ENDED), "b", PLAIN, "text/plain");

        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, sealedRaw)).isEqualTo("NACL_SEALBOX");
        Map<String, Object> row = jdbc.queryForMap("select encryption, key_id, wrapped_key from raw_file where id = ?", envelopeRaw);
        assertThat(row.get("encryption")).isEqualTo("ENVELOPE_AES_GCM");
        assertThat(row.get("key_id")).isEqualTo("test-kek-1");
        assertThat(row.get("wrapped_key")).isNotNull();
        assertThat(api.get("/bytes/raw/" + sealedRaw).body()).isEqualTo(PLAIN);
        assertThat(as("bob").get("/bytes/raw/" + envelopeRaw).body()).isEqualTo(PLAIN);
    }

    @Test
    void aChangedSealedBoxIsAnIntegrityProblem() {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", PLAIN, "text/plain");
        String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        stored[100] ^= 1;
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(stored));

        ApiClient.Response response = api.get("/bytes/raw/" + rawId);
        EncryptionAtRestIT.assertIntegrityProblem(response);
        assertThat(response.text()).doesNotContain("KAT for president");
    }
}
