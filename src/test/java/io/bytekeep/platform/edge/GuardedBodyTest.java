package io.bytekeep.platform.edge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardedBodyTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aBodyWithinItsBudgetReadsWhole() throws IOException {
        GuardedBody body = guarded(source(new byte[100]), 100);
        assertThat(body.readAllBytes()).hasSize(100);
    }

    @Test
    void theReadPastTheBudgetFailsWith413() {
        GuardedBody body = guarded(source(new byte[101]), 100);
        assertThatThrownBy(body::readAllBytes).isInstanceOfSatisfying(BodyRefused.class,
                refused -> assertThat(refused.problem().status()).isEqualTo(413));
    }

    @Test
    void aBodySlowerThanTheMinimumRateAfterTheGracePeriodFailsWith408() throws IOException {
        GuardedBody body = guarded(slowSource(new byte[100], TimeUnit.MILLISECONDS.toNanos(5_500)), 1_000);
        assertThat(body.read()).as("within the grace period").isZero();
        assertThatThrownBy(body::read).isInstanceOfSatisfying(BodyRefused.class,
                refused -> assertThat(refused.problem().status()).isEqualTo(408));
    }

    @Test
    void aBodyAtTheMinimumRateGoesOn() throws IOException {
        GuardedBody body = guarded(slowSource(new byte[64 * 1024], TimeUnit.SECONDS.toNanos(1)), 1_000_000);
        byte[] buffer = new byte[1024];
        for (int second = 0; second < 60; second++) {
            assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(1024);
        }
    }

    /** A route that first waits on its database (or on storage between reads) does not make the client slow. */
    @Test
    void timeBetweenReadsIsNotTheClients() throws IOException {
        GuardedBody body = guarded(source(new byte[4096]), 1_000_000);
        byte[] buffer = new byte[1024];
        for (int i = 0; i < 4; i++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(30));
            assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(1024);
        }
    }

    @Test
    void aStalledBodyFailsWith408() {
        GuardedBody body = guarded(new Source(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("read timed out");
            }
        }), 1_000);
        assertThatThrownBy(() -> body.read(new byte[10], 0, 10)).isInstanceOfSatisfying(BodyRefused.class,
                refused -> assertThat(refused.problem().status()).isEqualTo(408));
    }

    private GuardedBody guarded(ServletInputStream source, long budget) {
        return new GuardedBody(source, budget, 1024, TimeUnit.SECONDS.toNanos(10), now::get);
    }

    private static ServletInputStream source(byte[] bytes) {
        return new Source(new ByteArrayInputStream(bytes));
    }

    /** Bytes that each take {@code nanosPerRead} to arrive: the clock moves while the read waits. */
    private ServletInputStream slowSource(byte[] bytes, long nanosPerRead) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new Source(new InputStream() {
            @Override
            public int read() {
                now.addAndGet(nanosPerRead);
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                now.addAndGet(nanosPerRead);
                return in.read(buffer, offset, length);
            }
        });
    }

    private static final class Source extends ServletInputStream {

        private final InputStream in;

        Source(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
        }
    }
}
