package io.bytekeep.sharing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A presigned download URL with a 1 s lifetime: S3 refuses it once expired; a new GET /documents/{id} issues a new one. */
@TestPropertySource(properties = "bytekeep.sharing.url-ttl=1s")
class SharingUrlExpiryIT extends SharingTestSupport {

    @TempDir
    Path home;

    @Test
    void anExpiredDownloadUrlIsRefusedByS3() throws Exception {
        Path alice = loggedIn(home, "alice");
        String id = cli(alice, "upload", plainFile(home.resolve("doc.bin"), 1).toString(), "--json").json().get("id").asText();
        JsonNode document = as("alice").get("/documents/" + id).json();
        Instant expiresAt = Instant.parse(document.get("download").get("expires_at").asText());
        assertThat(Duration.between(Instant.now(), expiresAt)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        URI url = URI.create(document.get("download").get("url").asText());
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 403);

        Run fresh = cli(alice, "download", id, "-o", home.resolve("again.bin").toString());
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
    }
}
