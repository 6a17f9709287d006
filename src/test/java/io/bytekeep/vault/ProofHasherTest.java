package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vectors are Bytes' own (bytes/tests: test_hash_data). */
class ProofHasherTest {

    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");
    private static final byte[] DATA = "KAT for president".getBytes(StandardCharsets.UTF_8);

    @Test
    void sha512VectorOfBytes() throws Exception {
        assertThat(new ProofHasher("SHA512").hash(new ByteArrayInputStream(DATA), ENDED)).isEqualTo(
                "sha512:bc4d1f0a71ba9bf2ab2b7520322f8e969c48d5ae99e84b4a60b850f61ce5b1e95e13f3ef6c43680fb03960f98799a92770e30591253784cc3213b194a73ea21d");
    }

    @Test
    void sha224VectorOfBytes() throws Exception {
        assertThat(new ProofHasher("sha224").hash(new ByteArrayInputStream(DATA), ENDED))
                .isEqualTo("sha224:27154a1b6301ba1bde0b78cc28590e19b8f15c660f13885765cc3d44");
    }

    @Test
    void copyingGivesTheSameHashAndTheSameBytes() throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        String hash = new ProofHasher("sha512").hashWhileCopying(new ByteArrayInputStream(DATA), ENDED, copy);
        assertThat(copy.toByteArray()).isEqualTo(DATA);
        assertThat(ProofHasher.forHash(hash).hash(new ByteArrayInputStream(DATA), ENDED)).isEqualTo(hash);
    }

    @Test
    void theTimeIsPartOfTheProof() throws Exception {
        ProofHasher hasher = new ProofHasher("sha512");
        assertThat(hasher.hash(new ByteArrayInputStream(DATA), ENDED))
                .isNotEqualTo(hasher.hash(new ByteArrayInputStream(DATA), ENDED.plusNanos(1_000)));
    }

    @Test
    void unknownAlgorithmFailsAtConstruction() {
        assertThatThrownBy(() -> new ProofHasher("md5")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("md5");
    }
}
