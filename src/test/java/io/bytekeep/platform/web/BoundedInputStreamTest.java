package io.bytekeep.platform.web;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedInputStreamTest {

    @Test
    void readsUpToTheLimit() throws Exception {
        try (InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[100]), 100)) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
    }

    @Test
    void failsWith413OneByteBeyond() {
        InputStream in = new BoundedInputStream(new ByteArrayInputStream(new byte[101]), 100);
        assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(413));
        InputStream single = new BoundedInputStream(new ByteArrayInputStream(new byte[2]), 1);
        assertThatThrownBy(() -> {
            single.read();
            single.read();
        }).isInstanceOf(Problem.class);
    }
}
