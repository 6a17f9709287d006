package io.bytekeep.sharing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.bytekeep.client.DocumentClient;
import io.bytekeep.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command line against the real server, PostgreSQL, RabbitMQ and S3Proxy: a 200 MiB document uploaded in parts,
 * shared, downloaded by the grantee byte-identical, revoked; stored as ciphertext only; audited; no URL in the log.
 * Sharing stays within the document's organisation (carol is alice's colleague in org-a; bob is of org-b).
 */
@ExtendWith(OutputCaptureExtension.class)
class SharingCliIT extends SharingTestSupport {

    @Autowired
    RabbitTemplate rabbit;

    @TempDir
    Path home;

    @Test
    void aLargeDocumentIsUploadedInPartsSharedDownloadedByTheGranteeAndRevoked(CapturedOutput log) throws Exception {
        Path alice = loggedIn(home, "alice");
        Path carol = loggedIn(home, "carol");
        Path plain = plainFile(Path.of("target/sharing-it/plain-200mib.bin"), 200);

        Run upload = cli(alice, "upload", plain.toString(), "--json");
        assertThat(upload.exitCode()).as(upload.out() + upload.err()).isZero();
        assertThat(upload.err()).isEmpty();
        String id = upload.json().get("id").asText();
        assertThat(upload.json().get("parts").asInt()).isGreaterThan(30);
        assertThat(upload.json().get("size").asLong()).isEqualTo(200L * 1024 * 1024);

        String key = jdbc.queryForObject("select object_key from sharing_document where id = ?::uuid", String.class, id);
        assertThat(key).isEqualTo("documents/" + id);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength()).isGreaterThan(200L * 1024 * 1024);
        assertThat(objectContainsMarker(key)).as("the stored object contains plaintext").isFalse();

        // carol is not a grantee yet: as if the document did not exist
        Run refused = cli(carol, "download", id, "-o", home.resolve("carol-early.bin").toString());
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(home.resolve("carol-early.bin")).doesNotExist();

        Run share = cli(alice, "share", id, "carol", "--json");
        assertThat(share.exitCode()).as(share.out() + share.err()).isZero();
        JsonNode listed = cli(carol, "ls", "--json").json().get("documents");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("role").asText()).isEqualTo("grantee");

        Path downloaded = home.resolve("carol-copy.bin");
        Run download = cli(carol, "download", id, "-o", downloaded.toString(), "--json");
        assertThat(download.exitCode()).as(download.out() + download.err()).isZero();
        assertThat(download.json().get("verified").asBoolean()).isTrue();
        assertThat(Files.mismatch(plain, downloaded)).as("byte-identical").isEqualTo(-1L);
        Files.delete(downloaded);

        Run revoke = cli(alice, "revoke", id, "carol");
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        Run afterRevoke = cli(carol, "download", id, "-o", downloaded.toString(), "--json");
        assertThat(afterRevoke.exitCode()).isEqualTo(3);
        assertThat(afterRevoke.json().get("error").asText()).contains("404");
        assertThat(downloaded).doesNotExist();
        assertThat(as("carol").get("/documents/" + id).status()).isEqualTo(404);

        assertThat(jdbc.queryForList("select action from sharing_audit where document_id = ?::uuid order by at", String.class, id))
                .containsExactly("DOCUMENT_UPLOADED", "SHARE_GRANTED", "DOWNLOAD_URL_ISSUED", "SHARE_REVOKED");
        List<String> events = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Message message = rabbit.receive(AUDIT_QUEUE);
            if (message != null) {
                events.add(new String(message.getBody()));
            }
            assertThat(events).hasSize(4);
        });
        assertThat(events.get(2)).contains("\"action\":\"DOWNLOAD_URL_ISSUED\"", "\"actor\":\"carol\"", id);
        assertThat(events.get(3)).contains("\"action\":\"SHARE_REVOKED\"", "\"subject\":\"carol\"");

        assertThat(log.getAll()).doesNotContain("X-Amz-Signature").doesNotContain("X-Amz-Credential");
        Files.delete(plain);
    }

    @Test
    void onlyTheOwnerAndGranteesSeeADocumentOnlyTheOwnerSharesWithinItsOrganisationAndDeletes() throws Exception {
        Path alice = loggedIn(home, "alice");
        Path bob = loggedIn(home, "bob");
        Path plain = plainFile(home.resolve("small.bin"), 1);
        String id = cli(alice, "upload", plain.toString(), "--json").json().get("id").asText();

        ApiClient bobApi = as("bob");
        assertThat(bobApi.get("/documents/" + id).status()).isEqualTo(404);
        assertThat(bobApi.get("/documents/" + id).contentType()).startsWith("application/problem+json");
        assertThat(bobApi.get("/documents").json()).isEmpty();
        assertThat(cli(bob, "share", id, "alice").exitCode()).isEqualTo(3);
        assertThat(anonymous().get("/documents/" + id).status()).isEqualTo(401);
        // an id that is no id (here: a script's captured error) is the server's refusal of bad input, never a stack trace
        Run garbage = cli(alice, "download", "{\"error\": \"x\"} ../" + id, "--json");
        assertThat(garbage.exitCode()).as(garbage.err()).isEqualTo(2);
        assertThat(garbage.json().get("error").asText()).startsWith("the server answered 4");
        assertThat(garbage.err()).doesNotContain("Exception");

        // bob is of another organisation (org-b) than the document (org-a, alice's first): refused, nothing stored
        Run otherOrganisation = cli(alice, "share", id, "bob", "--json");
        assertThat(otherOrganisation.exitCode()).isEqualTo(3);
        assertThat(otherOrganisation.json().get("error").asText()).contains("403").contains("not a member of organisation org-a");
        assertThat(count("sharing_grant")).isEqualTo(1);

        Path carol = loggedIn(home, "carol");
        assertThat(cli(alice, "share", id, "carol").exitCode()).isZero();
        // a grantee sees it but cannot pass it on
        ApiClient.Response passOn = as("carol").postJson("/documents/" + id + "/shares",
                java.util.Map.of("user", "alice", "wrapped_key", as("alice").get("/documents/" + id + "?download=false")
                        .json().get("wrapped_key").asText()));
        assertThat(passOn.status()).isEqualTo(403);
        // sharing with a user who has no key: refused before anything is stored
        Run nobody = cli(alice, "share", id, "bytes", "--json");
        assertThat(nobody.exitCode()).isEqualTo(3);
        assertThat(count("sharing_grant")).isEqualTo(2);

        // only the owner deletes: a grantee and a stranger are answered as if it did not exist
        assertThat(cli(carol, "rm", id).exitCode()).isEqualTo(3);
        assertThat(cli(bob, "delete", id, "--json").json().get("error").asText()).contains("404");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("documents/" + id)).contentLength()).isPositive();
        Run rm = cli(alice, "rm", id, "--json");
        assertThat(rm.exitCode()).as(rm.out() + rm.err()).isZero();
        assertThat(rm.json().get("id").asText()).isEqualTo(id);
        assertThat(rm.json().get("deleted").asBoolean()).isTrue();
        assertThat(rm.out().strip().lines()).hasSize(1);
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("documents/" + id)).contents()).isEmpty();
        assertThat(count("sharing_grant") + count("sharing_document")).isZero();
        assertThat(as("carol").get("/documents/" + id).status()).isEqualTo(404);
        assertThat(cli(alice, "ls", "--json").json().get("documents")).isEmpty();
        assertThat(jdbc.queryForList("select actor from sharing_audit where document_id = ?::uuid and action = 'DOCUMENT_DELETED'",
                String.class, id)).containsExactly("alice");
        assertThat(cli(alice, "rm", id).exitCode()).isEqualTo(3);
        assertThat(cli(alice, "rm", "not-an-id").exitCode()).isEqualTo(2);
    }

    /**
     * Issue 17: keys init on a machine without the private key generated one and registered it over the user's key, so
     * documents shared with the user no longer opened. It now refuses unless --replace, naming both fingerprints.
     */
    @Test
    void keysInitDoesNotReplaceTheRegisteredKeyUnlessToldTo() throws Exception {
        Path laptop = loggedIn(home, "alice");
        String laptopKey = registeredFingerprint("alice");
        Path carol = loggedIn(home, "carol");
        String id = cli(carol, "upload", plainFile(home.resolve("memo.bin"), 1).toString(), "--json").json().get("id").asText();
        assertThat(cli(carol, "share", id, "alice").exitCode()).isZero();
        // the machine with the key registers it again: nothing changes
        Run again = cli(laptop, "keys", "init", "--json");
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.json().get("fingerprint").asText()).isEqualTo(laptopKey);
        assertThat(again.json().get("generated").asBoolean()).isFalse();

        // a second machine, logged in, without the private key
        Path desktop = home.resolve("alice-desktop");
        assertThat(cli(desktop, "login", "--server", "http://127.0.0.1:" + port, "--user", "alice",
                "--password", "test-password-alice").exitCode()).isZero();
        Run refused = cli(desktop, "keys", "init");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("registered key " + laptopKey, "--replace");
        String offered = refused.err().replaceAll("(?s).*new key ([0-9a-f]{64}).*", "$1");
        assertThat(offered).hasSize(64).isNotEqualTo(laptopKey);
        assertThat(desktop.resolve("x25519.key")).doesNotExist();
        Run refusedJson = cli(desktop, "keys", "init", "--json");
        assertThat(refusedJson.json().get("exit_code").asInt()).isEqualTo(2);
        assertThat(refusedJson.json().get("error").asText()).contains("registered key " + laptopKey);
        // a new key on the machine that has the registered one needs --replace too; its key file stays as it was
        byte[] laptopKeyFile = Files.readAllBytes(laptop.resolve("x25519.key"));
        Run newKey = cli(laptop, "keys", "init", "--new");
        assertThat(newKey.exitCode()).isEqualTo(2);
        assertThat(newKey.err()).contains("registered key " + laptopKey, "--replace");
        assertThat(laptop.resolve("x25519.key")).hasBinaryContent(laptopKeyFile);
        assertThat(registeredFingerprint("alice")).isEqualTo(laptopKey);
        Run opens = cli(laptop, "download", id, "-o", home.resolve("memo-copy.bin").toString());
        assertThat(opens.exitCode()).as(opens.err()).isZero();

        // told to: the desktop's new key replaces it, with a warning naming both
        Run replaced = cli(desktop, "keys", "init", "--replace");
        assertThat(replaced.exitCode()).as(replaced.out() + replaced.err()).isZero();
        String desktopKey = registeredFingerprint("alice");
        assertThat(desktopKey).isNotEqualTo(laptopKey);
        assertThat(replaced.out()).contains(desktopKey);
        assertThat(replaced.err()).contains("warning", laptopKey, desktopKey);
        // now the laptop's key is the other one: refused there, naming both
        Run laptopRefused = cli(laptop, "keys", "init", "--json");
        assertThat(laptopRefused.json().get("exit_code").asInt()).isEqualTo(2);
        assertThat(laptopRefused.json().get("error").asText()).contains("registered key " + desktopKey, laptopKey);
        Run rotated = cli(laptop, "keys", "init", "--new", "--replace", "--json");
        assertThat(rotated.exitCode()).as(rotated.out()).isZero();
        assertThat(rotated.json().get("replaced_fingerprint").asText()).isEqualTo(desktopKey);
        assertThat(rotated.json().get("fingerprint").asText()).isEqualTo(registeredFingerprint("alice"))
                .isNotIn(laptopKey, desktopKey);
    }

    private String registeredFingerprint(String user) {
        return DocumentClient.fingerprint(java.util.Base64.getDecoder().decode(
                as(user).get("/users/me/key").json().get("public_key").asText()));
    }

    @Test
    void aTamperedCiphertextFailsVerificationAndLeavesNoOutputFile() throws Exception {
        Path alice = loggedIn(home, "alice");
        Path plain = plainFile(home.resolve("seven.bin"), 7);
        String id = cli(alice, "upload", plain.toString(), "--json").json().get("id").asText();
        String key = "documents/" + id;
        byte[] stored = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        stored[stored.length / 2] ^= 0x01;
        s3.putObject(b -> b.bucket(BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(stored));

        Path output = home.resolve("out.bin");
        Run download = cli(alice, "download", id, "-o", output.toString());
        assertThat(download.exitCode()).as(download.err()).isEqualTo(1);
        assertThat(download.err()).contains("failed decryption");
        assertThat(output).doesNotExist();
        try (var files = Files.list(home)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.endsWith(".bytekeep-partial"));
        }
    }

    @Test
    void rawFilesOfTheVaultGoUpAndComeBackThroughTheCommandLine() throws Exception {
        Path alice = loggedIn(home, "alice");
        String boefjeMeta = createBoefjeMeta(as("alice"), "org-a", java.time.Instant.parse("2024-02-03T04:05:06Z")).toString();
        Path raw = plainFile(home.resolve("scan.bin"), 2);
        Run upload = cli(alice, "raw", "upload", raw.toString(), "--boefje-meta", boefjeMeta, "--mime-type", "text/plain", "--json");
        assertThat(upload.exitCode()).as(upload.out() + upload.err()).isZero();
        String id = upload.json().get("id").asText();
        Path copy = home.resolve("scan-copy.bin");
        Run get = cli(alice, "raw", "get", id, "-o", copy.toString(), "--json");
        assertThat(get.exitCode()).as(get.out() + get.err()).isZero();
        assertThat(Files.mismatch(raw, copy)).isEqualTo(-1L);
        assertThat(cli(loggedIn(home, "bob"), "raw", "get", id, "-o", home.resolve("bob.bin").toString()).exitCode()).isEqualTo(3);
        assertThat(home.resolve("bob.bin")).doesNotExist();
    }
}
