package io.bytekeep.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import io.bytekeep.client.Progress;

/**
 * One line redrawn with {@code \r}: bar, percentage, amount done, rate and the ETA; at most 10 redraws a second. The
 * amounts are bytes, or items of a {@link #counting unit} such as files.
 */
final class TerminalProgress implements Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final LongFunction<String> amount;
    private final AtomicLong done = new AtomicLong();
    private String label;
    private long total;
    private long startNanos;
    private long lastDrawNanos;

    TerminalProgress(PrintWriter err) {
        this(err, TerminalProgress::human);
    }

    private TerminalProgress(PrintWriter err, LongFunction<String> amount) {
        this.err = err;
        this.amount = amount;
    }

    /** A bar that counts items: {@link #advance} by one per item. */
    static TerminalProgress counting(PrintWriter err, String unit) {
        return new TerminalProgress(err, count -> count + " " + unit);
    }

    @Override
    public synchronized void start(String label, long total) {
        this.label = label;
        this.total = total;
        this.startNanos = System.nanoTime();
        done.set(0);
        draw(startNanos);
    }

    @Override
    public void advance(long bytes) {
        done.addAndGet(bytes);
        long now = System.nanoTime();
        synchronized (this) {
            if (now - lastDrawNanos >= 100_000_000L) {
                draw(now);
            }
        }
    }

    @Override
    public synchronized void finish() {
        draw(System.nanoTime());
        err.println();
        err.flush();
    }

    private void draw(long now) {
        lastDrawNanos = now;
        long bytes = done.get();
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = bytes / seconds;
        double fraction = total == 0 ? 1 : Math.min(1, (double) bytes / total);
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = rate <= 0 || bytes == 0 ? "--" : Math.round((total - bytes) / rate) + "s";
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s/%s %s/s ETA %s ", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.round(fraction * 100), amount.apply(bytes), amount.apply(total), amount.apply((long) rate), eta));
        err.flush();
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
