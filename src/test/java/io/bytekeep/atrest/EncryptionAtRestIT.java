package io.bytekeep.atrest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ENVELOPE_AES_GCM, the default middleware, through the REST API and the real object store: what S3 holds is
 * ciphertext without any key, it reads back through the API, changed objects are integrity failures, and a second
 * deployment on the same database and bucket shows a new KEK with the rewrap and a change of middleware.
 */
class EncryptionAtRestIT extends IntegrationTest {

    static final String BUCKET = "bytekeep-test-raw";
    static final String TEST_KEK = "dGVzdC1rZWstMS0tLTAxMjM0NTY3ODlhYmNkZWYwMTI=";
    private static final String NEW_KEK = "bmV3LWtlay0yLS0tMDEyMzQ1Njc4OWFiY2RlZjAxMjM=";
    // the deployment's crypto_box key pair (bytekeep.custody.sealbox.private-key-b64 and its public key) and the
    // other party's (its public key is bytekeep.custody.sealbox.public-key-b64), as Bytes' KAT and VWS keys
    static final String SEAL_PUBLIC = "pdw8kRw/Johl2wL40NGe7YulmP99BGzMX2BweE4r4DM=";
    static final String SEAL_PRIVATE = "ivXD2gAcwHJnagF4IljMg9oU8Niwr79lLK6EFJMvdkE=";
    static final String PEER_PUBLIC = "5+WDQloTnUcp725DtUL/VMs3yAYxWimh4d83F4b7LxM=";
    static final String PEER_PRIVATE = "b80RhkFTVJ4WrQiQCtz6zqy6aoIHRKMRzgTBaWM/85E=";
    private static final Instant ENDED = Instant.parse("2024-02-03T04:05:06.789Z");
    private static final byte[] PLAIN = "open ports of example.org: 22, 80, 443\n".repeat(50).getBytes(StandardCharsets.UTF_8);

    @Autowired
    S3Client s3;

    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void theObjectIsCiphertextWithoutItsKeyAndReadsBackThroughTheApi() throws Exception {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "ports", PLAIN, "text/plain");

        Map<String, Object> row = jdbc.queryForMap("select encryption, key_id, wrapped_key, storage_key, stored_size_bytes from raw_file where id = ?", rawId);
        assertThat(row.get("encryption")).isEqualTo("ENVELOPE_AES_GCM");
        assertThat(row.get("key_id")).isEqualTo("test-kek-1");
        byte[] wrapped = (byte[]) row.get("wrapped_key");
        assertThat(wrapped).hasSize(40);
        byte[] dataKey = testKeks().unwrap(new KeyRecord("test-kek-1", wrapped));

        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key((String) row.get("storage_key"))).asByteArray();
        assertThat(stored).hasSize(((Number) row.get("stored_size_bytes")).intValue())
                .hasSize((int) ChunkedAeadFormat.storedSize(PLAIN.length, 64 * 1024));
        assertThat(new String(stored, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("BKEG");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("example.org");
        assertNoKeyIn(stored, s3.headObject(b -> b.bucket(BUCKET).key((String) row.get("storage_key"))), dataKey, wrapped);

        ApiClient.Response read = api.get("/bytes/raw/" + rawId);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(PLAIN);
    }

    @Test
    void aStreamedFileOfManyChunksNeverHasItsKeyInTheBucket() throws Exception {
        ApiClient api = as("bytes");
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        new Random(11).nextBytes(content);
        UUID rawId = uploadStreamed(api, createBoefjeMeta(api, "org-a", ENDED), content);

        String key = storageKey(rawId);
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        byte[] wrapped = jdbc.queryForObject("select wrapped_key from raw_file where id = ?", byte[].class, rawId);
        byte[] dataKey = testKeks().unwrap(new KeyRecord("test-kek-1", wrapped));
        assertNoKeyIn(stored, s3.headObject(b -> b.bucket(BUCKET).key(key)), dataKey, wrapped);
        assertThat(stored.length).isEqualTo(16 + content.length + 49 * 16);
        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(content);
    }

    @Test
    void changedTruncatedSwappedOrForeignCiphertextIsAnIntegrityProblem() {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        byte[] big = new byte[200_000];
        new Random(3).nextBytes(big);
        UUID rawId = uploadRaw(api, job, "big", big, "application/octet-stream");
        UUID otherId = uploadRaw(api, job, "other", big, "application/x-other");
        String key = storageKey(rawId);
        byte[] original = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        int chunk = 64 * 1024 + 16;

        List<byte[]> tamperings = new ArrayList<>();
        byte[] flipped = original.clone();
        flipped[original.length / 2] ^= 0x20;
        tamperings.add(flipped);
        tamperings.add(java.util.Arrays.copyOf(original, 16 + 2 * chunk));
        byte[] swapped = original.clone();
        System.arraycopy(original, 16, swapped, 16 + chunk, chunk);
        System.arraycopy(original, 16 + chunk, swapped, 16, chunk);
        tamperings.add(swapped);
        tamperings.add(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(storageKey(otherId))).asByteArray());

        for (byte[] tampered : tamperings) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(tampered));
            assertIntegrityProblem(api.get("/bytes/raw/" + rawId));
        }
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(original));
        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(big);
    }

    @Test
    void aNewKekWritesAndTheRewrapMovesOldDataKeysWithoutTouchingTheObjects() {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        UUID first = uploadRaw(api, job, "first", PLAIN, "a/first");
        UUID second = uploadRaw(api, job, "second", "second file".getBytes(), "a/second");
        byte[] objectBefore = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(storageKey(first))).asByteArray();

        try (ConfigurableApplicationContext rotated = secondDeployment("rotated",
                "--bytekeep.custody.keks[0].id=test-kek-1", "--bytekeep.custody.keks[0].key=" + TEST_KEK,
                "--bytekeep.custody.keks[1].id=test-kek-2", "--bytekeep.custody.keks[1].key=" + NEW_KEK)) {
            ApiClient next = new ApiClient(port(rotated)).login("bytes", "test-password-bytes");
            assertThat(next.get("/bytes/raw/" + first).body()).as("old objects read with the old KEK").isEqualTo(PLAIN);
            UUID third = uploadRaw(next, job, "third", "third file".getBytes(), "a/third");
            assertThat(keyId(third)).as("the new KEK writes").isEqualTo("test-kek-2");

            assertThat(new ApiClient(port(rotated)).post("/admin/keks/rewrap", "application/json", new byte[0]).status()).isEqualTo(401);
            ApiClient.Response forbidden = new ApiClient(port(rotated)).login("alice", "test-password-alice")
                    .post("/admin/keks/rewrap", "application/json", new byte[0]);
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.contentType()).startsWith("application/problem+json");
            ApiClient.Response rewrap = next.post("/admin/keks/rewrap", "application/json", new byte[0]);
            assertThat(rewrap.status()).as(rewrap.text()).isEqualTo(200);
            assertThat(rewrap.json().get("writer_kek").asText()).isEqualTo("test-kek-2");
            assertThat(rewrap.json().get("rewrapped").asLong()).isEqualTo(2);
            assertThat(rewrap.json().get("not_rewrapped").size()).isZero();
            assertThat(List.of(keyId(first), keyId(second), keyId(third))).containsOnly("test-kek-2");
            assertThat(next.post("/admin/keks/rewrap", "application/json", new byte[0]).json().get("rewrapped").asLong()).isZero();

            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(storageKey(first))).asByteArray())
                    .as("the rewrap leaves the object as it was").isEqualTo(objectBefore);
            assertThat(next.get("/bytes/raw/" + first).body()).isEqualTo(PLAIN);
            assertThat(next.get("/bytes/raw/" + second).text()).isEqualTo("second file");
        }
        try (ConfigurableApplicationContext newKekOnly = secondDeployment("new-kek-only",
                "--bytekeep.custody.keks[0].id=test-kek-2", "--bytekeep.custody.keks[0].key=" + NEW_KEK)) {
            ApiClient next = new ApiClient(port(newKekOnly)).login("bytes", "test-password-bytes");
            assertThat(next.get("/bytes/raw/" + first).body()).as("the old KEK is no longer needed").isEqualTo(PLAIN);
        }
        // this deployment lacks test-kek-2
        assertIntegrityProblem(api.get("/bytes/raw/" + first));
    }

    @Test
    void aDeploymentThatSwitchesToBytesNaclBoxesStillReadsItsEnvelopeObjects() {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        UUID envelope = uploadRaw(api, job, "envelope", PLAIN, "a/envelope");

        try (ConfigurableApplicationContext switched = secondDeployment("switched", "--bytekeep.vault.encryption=NACL_SEALBOX",
                "--bytekeep.custody.sealbox.private-key-b64=" + SEAL_PRIVATE, "--bytekeep.custody.sealbox.public-key-b64=" + PEER_PUBLIC)) {
            ApiClient next = new ApiClient(port(switched)).login("bytes", "test-password-bytes");
            UUID sealed = uploadRaw(next, job, "sealed", "sealed file".getBytes(), "a/sealed");
            assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, sealed)).isEqualTo("NACL_SEALBOX");
            assertThat(next.get("/bytes/raw/" + envelope).body()).isEqualTo(PLAIN);
            assertThat(next.get("/bytes/raw/" + sealed).text()).isEqualTo("sealed file");
        }
    }

    /** The same database and bucket with other keys or another middleware: the deployment after a change. */
    private ConfigurableApplicationContext secondDeployment(String name, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.additional-location=classpath:/test-config/",
                "--server.port=0",
                "--camel.main.name=bytekeep-" + name,
                "--bytekeep.embedded.s3.enabled=false",
                "--bytekeep.storage.endpoint=" + s3Server.endpoint()));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(BytekeepApplication.class).profiles("test").run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    static void assertIntegrityProblem(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(500);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("urn:bytekeep:problem:integrity-check-failed");
        assertThat(response.json().get("detail").asText()).contains("cannot be decrypted and verified");
    }

    static void assertNoKeyIn(byte[] stored, HeadObjectResponse head, byte[]... keys) {
        String bytes = new String(stored, StandardCharsets.ISO_8859_1);
        String metadata = head.metadata() + " " + head.contentType() + " " + head.eTag();
        for (byte[] key : keys) {
            assertThat(bytes).doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
            for (String encoded : List.of(Base64.getEncoder().encodeToString(key), HexFormat.of().formatHex(key))) {
                assertThat(bytes).doesNotContain(encoded);
                assertThat(metadata).doesNotContain(encoded);
            }
        }
        assertThat(head.metadata().keySet()).noneMatch(name -> name.toLowerCase().contains("key"));
    }

    private UUID uploadStreamed(ApiClient api, UUID job, byte[] content) {
        ApiClient.Response response = api.post("/bytes/raw?boefje_meta_id=" + job + "&name=scan.pcap&mime_types=boefje/pcap",
                "application/octet-stream", content);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return UUID.fromString(response.json().get("scan.pcap").asText());
    }

    private String storageKey(UUID rawId) {
        return jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
    }

    private String keyId(UUID rawId) {
        return jdbc.queryForObject("select key_id from raw_file where id = ?", String.class, rawId);
    }

    private static KekRing testKeks() {
        return new KekRing(Map.of("test-kek-1", Base64.getDecoder().decode(TEST_KEK)), null);
    }
}
