package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A streamed upload's spool file holds no plaintext, and reads back as often as the route needs it. */
class EncryptedSpoolTest {

    @TempDir
    Path dir;

    @Test
    void theSpoolFileHoldsNoPlaintextAndReadsBackEveryTime() throws IOException {
        byte[] plain = "evidence of the incident, line after line\n".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("upload.raw");

        EncryptedSpool spool = EncryptedSpool.write(file, new ByteArrayInputStream(plain));

        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSameSizeAs(plain);
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("evidence");
        assertThat(spool.size()).isEqualTo(plain.length);
        for (int read = 0; read < 3; read++) {
            try (InputStream in = spool.open()) {
                assertThat(in.readAllBytes()).isEqualTo(plain);
            }
        }
    }

    @Test
    void eachSpoolHasItsOwnKey() throws IOException {
        byte[] plain = new byte[4096];
        new Random(7).nextBytes(plain);
        EncryptedSpool.write(dir.resolve("a"), new ByteArrayInputStream(plain));
        EncryptedSpool.write(dir.resolve("b"), new ByteArrayInputStream(plain));

        assertThat(Files.readAllBytes(dir.resolve("a"))).isNotEqualTo(Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void anEmptyUploadIsAnEmptySpool() throws IOException {
        EncryptedSpool spool = EncryptedSpool.write(dir.resolve("empty"), InputStream.nullInputStream());
        assertThat(spool.size()).isZero();
        assertThat(spool.open().readAllBytes()).isEmpty();
    }
}
