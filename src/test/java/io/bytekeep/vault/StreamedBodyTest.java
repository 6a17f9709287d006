package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamedBodyTest {

    @Test
    void itIsReadOnceUpToItsDeclaredLengthAndDigestedOnTheWay() throws Exception {
        byte[] bytes = "declared bytes, then the next request".getBytes();
        StreamedBody body = new StreamedBody(new ByteArrayInputStream(bytes), 14);
        body.digestOnTheWay(MessageDigest.getInstance("SHA-256"));

        try (InputStream in = body.open()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(bytes, 14));
        }
        assertThat(body.readWhole()).isTrue();
        assertThat(body.digest().digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, 14)));
        assertThatThrownBy(body::open).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> body.digestOnTheWay(MessageDigest.getInstance("SHA-256"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBodyEndingBeforeItsLengthIsTheClientsFault() throws IOException {
        StreamedBody body = new StreamedBody(new ByteArrayInputStream(new byte[10]), 20);
        try (InputStream in = body.open()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class)
                    .hasMessageContaining("after 10 of its 20 bytes")
                    .cause().isInstanceOfSatisfying(Problem.class, problem -> assertThat(problem.status()).isEqualTo(400));
        }
        assertThat(body.readWhole()).isFalse();
    }

    @Test
    void aBrokenConnectionIsA400ButTheEdgesOwnRefusalKeepsItsAnswer() throws IOException {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }
        };
        try (InputStream in = new StreamedBody(broken, 5).open()) {
            assertThatThrownBy(in::read).cause().isInstanceOfSatisfying(Problem.class,
                    problem -> assertThat(problem.status()).isEqualTo(400));
        }
        InputStream refused = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("too slow", Problem.requestTimeout("too slow"));
            }
        };
        try (InputStream in = new StreamedBody(refused, 5).open()) {
            assertThatThrownBy(in::read).cause().isInstanceOfSatisfying(Problem.class,
                    problem -> assertThat(problem.status()).isEqualTo(408));
        }
    }
}
