package io.bytekeep.atrest;

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
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static io.bytekeep.atrest.EncryptionAtRestIT.BUCKET;
import static io.bytekeep.atrest.EncryptionAtRestIT.PEER_PRIVATE;
import static io.bytekeep.atrest.EncryptionAtRestIT.PEER_PUBLIC;
import static io.bytekeep.atrest.EncryptionAtRestIT.SEAL_PRIVATE;
import static io.bytekeep.atrest.EncryptionAtRestIT.SEAL_PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment with NACL_SEALBOX (Bytes' BYTES_ENCRYPTION_MIDDLEWARE=NACL_SEALBOX with BYTES_PRIVATE_KEY_B64 and
 * BYTES_PUBLIC_KEY_B64): libsodium opens its objects with the other party's key pair. Organisation org-b keeps
 * ENVELOPE_AES_GCM and org-c LIBSODIUM_SEALED_BOX (bytekeep.vault.organization-encryption).
 */
@TestPropertySource(properties = {
        "bytekeep.vault.encryption=NACL_SEALBOX",
        "bytekeep.vault.organization-encryption.org-b=ENVELOPE_AES_GCM",
        "bytekeep.vault.organization-encryption.org-c=LIBSODIUM_SEALED_BOX",
        "bytekeep.custody.sealbox.private-key-b64=" + SEAL_PRIVATE,
        "bytekeep.custody.sealbox.public-key-b64=" + PEER_PUBLIC})
@DirtiesContext // its own context: closed after the class, so its queue consumers do not outlive it
class SealedBoxStorageIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2024-02-03T04:05:06.789Z");
    private static final byte[] PLAIN = "KAT for president\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    @Autowired
    S3Client s3;

    @TempDir
    Path dir;

    @Test
    void theObjectIsBytesNaclBoxThatLibsodiumOpensAndTheApiReadsBack() throws Exception {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", PLAIN, "text/plain");

        Map<String, Object> row = jdbc.queryForMap("select encryption, key_id, wrapped_key, storage_key from raw_file where id = ?", rawId);
        assertThat(row.get("encryption")).isEqualTo("NACL_SEALBOX");
        assertThat(row.get("key_id")).isEqualTo(NaclBoxMiddleware.keyId(decode(SEAL_PUBLIC), decode(PEER_PUBLIC)));
        assertThat(row.get("wrapped_key")).isNull();
        String key = (String) row.get("storage_key");
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertThat(stored).hasSize(24 + 16 + PLAIN.length);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("KAT for president");
        EncryptionAtRestIT.assertNoKeyIn(stored, s3.headObject(b -> b.bucket(BUCKET).key(key)), decode(SEAL_PRIVATE),
                NaclBox.beforenm(decode(PEER_PUBLIC), decode(SEAL_PRIVATE)));

        Path boxed = Files.write(dir.resolve("boxed"), stored);
        Libsodium.run("box-open", SEAL_PUBLIC, PEER_PRIVATE, boxed.toString(), dir.resolve("opened").toString());
        assertThat(Files.readAllBytes(dir.resolve("opened"))).as("the other party opens it").isEqualTo(PLAIN);

        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(PLAIN);
    }

    @Test
    void anOrganisationWithItsOwnMiddlewareIsWrittenWithItAndAllReadBack() throws Exception {
        ApiClient api = as("bytes");
        UUID boxedRaw = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "a", PLAIN, "text/plain");
        UUID envelopeRaw = uploadRaw(api, createBoefjeMeta(api, "org-b", ENDED), "b", PLAIN, "text/plain");
        UUID sealedRaw = uploadRaw(api, createBoefjeMeta(api, "org-c", ENDED), "c", PLAIN, "text/plain");

        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, boxedRaw)).isEqualTo("NACL_SEALBOX");
        Map<String, Object> envelope = jdbc.queryForMap("select encryption, key_id, wrapped_key from raw_file where id = ?", envelopeRaw);
        assertThat(envelope.get("encryption")).isEqualTo("ENVELOPE_AES_GCM");
        assertThat(envelope.get("key_id")).isEqualTo("test-kek-1");
        assertThat(envelope.get("wrapped_key")).isNotNull();
        Map<String, Object> sealed = jdbc.queryForMap("select encryption, key_id, storage_key from raw_file where id = ?", sealedRaw);
        assertThat(sealed.get("encryption")).isEqualTo("LIBSODIUM_SEALED_BOX");
        assertThat(sealed.get("key_id")).isEqualTo(SealedBoxMiddleware.keyId(decode(SEAL_PUBLIC)));
        Path sealedBox = Files.write(dir.resolve("sealed"),
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key((String) sealed.get("storage_key"))).asByteArray());
        Libsodium.run("open", SEAL_PUBLIC, SEAL_PRIVATE, sealedBox.toString(), dir.resolve("opened").toString());
        assertThat(Files.readAllBytes(dir.resolve("opened"))).as("crypto_box_seal_open opens it").isEqualTo(PLAIN);

        assertThat(api.get("/bytes/raw/" + boxedRaw).body()).isEqualTo(PLAIN);
        assertThat(as("bob").get("/bytes/raw/" + envelopeRaw).body()).isEqualTo(PLAIN);
        assertThat(api.get("/bytes/raw/" + sealedRaw).body()).isEqualTo(PLAIN);
    }

    @Test
    void sealedBoxesThatEarlierVersionsRecordedAsNaclSealboxReadAgainAfterMigrationV14() throws Exception {
        ApiClient api = as("bytes");
        UUID sealedRaw = uploadRaw(api, createBoefjeMeta(api, "org-c", ENDED), "c", PLAIN, "text/plain");
        UUID boxedRaw = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "a", PLAIN, "text/plain");
        // what a Bytekeep before V14 left: a libsodium sealed box recorded under the name NACL_SEALBOX
        jdbc.update("update raw_file set encryption = 'NACL_SEALBOX' where id = ?", sealedRaw);
        EncryptionAtRestIT.assertIntegrityProblem(api.get("/bytes/raw/" + sealedRaw));

        jdbc.execute(new ClassPathResource("db/migration/V14__libsodium_sealed_box.sql").getContentAsString(StandardCharsets.UTF_8));

        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, sealedRaw)).isEqualTo("LIBSODIUM_SEALED_BOX");
        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, boxedRaw))
                .as("Bytes' format keeps its name").isEqualTo("NACL_SEALBOX");
        assertThat(api.get("/bytes/raw/" + sealedRaw).body()).isEqualTo(PLAIN);
        assertThat(api.get("/bytes/raw/" + boxedRaw).body()).isEqualTo(PLAIN);
    }

    @Test
    void aChangedBoxIsAnIntegrityProblem() {
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

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
