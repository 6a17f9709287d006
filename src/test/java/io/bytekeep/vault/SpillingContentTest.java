package io.bytekeep.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import io.bytekeep.platform.ContentSource;

class SpillingContentTest {

    @TempDir
    Path spool;

    private final AtomicInteger files = new AtomicInteger();

    @Test
    void contentWithinTheThresholdStaysInMemory() throws IOException {
        byte[] bytes = random(1000);
        SpillingContent content = spilling(1000);
        content.write(bytes, 0, 600);
        content.write(bytes, 600, 400);
        ContentSource source = content.content();
        assertThat(files).hasValue(0);
        assertThat(source.size()).isEqualTo(1000);
        assertThat(source.open().readAllBytes()).isEqualTo(bytes);
    }

    @Test
    void contentOverTheThresholdGoesToAnEncryptedSpoolFile() throws IOException {
        byte[] bytes = random(5000);
        SpillingContent content = spilling(1000);
        for (int offset = 0; offset < bytes.length; offset += 700) {
            content.write(bytes, offset, Math.min(700, bytes.length - offset));
        }
        ContentSource source = content.content();
        assertThat(files).hasValue(1);
        assertThat(source.size()).isEqualTo(5000);
        assertThat(source.open().readAllBytes()).isEqualTo(bytes);
        assertThat(source.open().readAllBytes()).as("re-readable").isEqualTo(bytes);
        Path file;
        try (var list = Files.list(spool)) {
            file = list.findFirst().orElseThrow();
        }
        assertThat(Files.readAllBytes(file)).as("the spool file holds no plaintext").isNotEqualTo(bytes).hasSize(5000);
    }

    private SpillingContent spilling(int threshold) {
        return new SpillingContent(threshold, () -> {
            files.incrementAndGet();
            return Files.createTempFile(spool, "spill-", ".raw");
        });
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
