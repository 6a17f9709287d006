package io.bytekeep.platform.edge;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import io.bytekeep.platform.Problem;

/**
 * A request body read under the edge's rules: never beyond its budget (chunked bodies included), never slower on
 * average than the minimum rate once the grace period is over (the time counted is the time spent waiting in reads
 * for the client's bytes: a route that reads its body itself may first wait on its database, and that is not the
 * client's delay), never stalled longer than the container's read
 * timeout. Each breach fails the read with {@link BodyRefused}; the request is answered 413 or 408 and whatever was
 * spooled of it is deleted with the exchange.
 */
final class GuardedBody extends ServletInputStream {

    private final ServletInputStream in;
    private final long budget;
    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;
    private long waitedNanos;
    private long count;

    GuardedBody(ServletInputStream in, long budget, long minBytesPerSecond, long graceNanos, LongSupplier nanoTime) {
        this.in = in;
        this.budget = budget;
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = graceNanos;
        this.nanoTime = nanoTime;
    }

    @Override
    public int read() throws IOException {
        int b;
        long before = nanoTime.getAsLong();
        try {
            b = in.read();
        } catch (SocketTimeoutException stalled) {
            throw stalled();
        } finally {
            waitedNanos += nanoTime.getAsLong() - before;
        }
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        long before = nanoTime.getAsLong();
        try {
            n = in.read(buffer, offset, length);
        } catch (SocketTimeoutException stalled) {
            throw stalled();
        } finally {
            waitedNanos += nanoTime.getAsLong() - before;
        }
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws BodyRefused {
        count += n;
        if (count > budget) {
            throw new BodyRefused(Problem.payloadTooLarge("the body is larger than this endpoint's limit of " + budget + " bytes"));
        }
        long elapsed = waitedNanos;
        if (elapsed > graceNanos && count < minBytesPerSecond * (elapsed / 1_000_000_000.0)) {
            throw new BodyRefused(Problem.requestTimeout("the body arrives slower than " + minBytesPerSecond
                    + " bytes/s (" + count + " bytes in " + elapsed / 1_000_000 + " ms)"));
        }
    }

    private BodyRefused stalled() {
        return new BodyRefused(Problem.requestTimeout("the body stalled after " + count + " bytes"));
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }
}
