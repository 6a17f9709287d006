import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;


/**
 * Soak load of bench/soak.sh: an open loop at a fixed rate (requests are started on schedule whether or not earlier
 * ones finished, and latency is measured from the scheduled start, so a stall shows in the percentiles instead of
 * slowing the load down; a request waits for one of {@link #CONNECTIONS} keep-alive connections, and that wait counts,
 * as a client's would). The mix: {@link #UPLOAD_PERCENT} % small raw uploads (40 unless {@code -Dsoak.uploads=N}), the
 * rest 3 : 2 : 1 reads of one of the last {@link #RECENT_UPLOADS} uploaded raws, listings and key submissions (30 %,
 * 20 %, 10 % with 40 % uploads). Prints a markdown table per operation, one by windows of the schedule and a line
 * of totals. With an AMQP URI and a queue it also drains that queue as a downstream consumer would (the
 * RawFileReceived events of the uploads; without a consumer they pile up in the broker, which in the embedded default
 * is the application's own heap) and reports how many it received.
 *
 * Usage: SoakClient <base url> <bearer token> <submission token> <boefje meta id> <rate/s> <seconds> <payload bytes>
 *        [<amqp uri> <queue>]
 */
public final class SoakClient {

    /** Keep-alive connections, one thread each: more than the service admits at once, so it refuses the excess */
    static final int CONNECTIONS = Integer.getInteger("soak.connections", 64);

    static final int UPLOAD_PERCENT = Integer.getInteger("soak.uploads", 40);

    /** Reads pick one of the files uploaded last, at most this many. */
    static final int RECENT_UPLOADS = 100_000;

    private record Sample(String operation, long scheduledAt, long micros, int status) {
    }

    private record Request(String operation, long scheduledAt, byte[] head, byte[] body) {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String submissionToken = args[2];
        String boefjeMetaId = args[3];
        int rate = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        int size = Integer.parseInt(args[6]);
        EventDrain amqp = args.length > 8 ? new EventDrain(args[7], args[8], "bytekeep-soak-drain") : null;

        URI server = URI.create(base);
        // appended to by every request: a copy-on-write list copied all its elements on each (at 1,000/s the client ran
        // out of its heap within ten minutes, and spent its CPU on copies before that)
        AtomicReferenceArray<String> uploaded = new AtomicReferenceArray<>(RECENT_UPLOADS);
        AtomicLong uploads = new AtomicLong();
        Queue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong sequence = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        Map<String, AtomicLong> ioErrors = new ConcurrentHashMap<>();
        String content = Base64.getEncoder().encodeToString(new byte[size]);
        // tags unique across runs (the warm-up is a run): a raw with a known mime set is not stored again, and has no event
        String run = Long.toHexString(ThreadLocalRandom.current().nextLong());
        int rollingStart = (int) (Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).getEpochSecond() / 600);

        BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            Thread worker = new Thread(() -> {
                HttpConnection connection = null;
                while (true) {
                    Request request;
                    try {
                        request = queue.take();
                    } catch (InterruptedException stop) {
                        return;
                    }
                    int status = -1;
                    byte[] answer = null;
                    try {
                        if (connection == null || !connection.reusable()) {
                            if (connection != null) {
                                connection.close();
                            }
                            connection = new HttpConnection(server.getHost(), server.getPort());
                        }
                        HttpConnection.Response response = connection.exchange(request.head(),
                                request.body() == null ? 0 : request.body().length,
                                request.body() == null ? new byte[0] : request.body());
                        status = response.status();
                        answer = response.body();
                    } catch (IOException | RuntimeException failure) {
                        ioErrors.computeIfAbsent(request.operation() + ": " + failure.getClass().getSimpleName(),
                                k -> new AtomicLong()).incrementAndGet();
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    samples.add(new Sample(request.operation(), request.scheduledAt(),
                            (System.nanoTime() - request.scheduledAt()) / 1000, status));
                    if (request.operation().equals("upload") && status == 200) {
                        String text = new String(answer, StandardCharsets.UTF_8);
                        uploaded.set((int) (uploads.getAndIncrement() % RECENT_UPLOADS),
                                text.substring(text.indexOf(":\"") + 2, text.lastIndexOf('"')));
                    }
                    inFlight.decrementAndGet();
                }
            }, "soak-" + i);
            worker.setDaemon(true);
            worker.start();
        }

        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (long scheduled = start; scheduled < end; scheduled += intervalNanos) {
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long n = sequence.incrementAndGet();
            int pick = ThreadLocalRandom.current().nextInt(100);
            Request request;
            int rest = 100 - UPLOAD_PERCENT;
            String readable = uploads.get() == 0 ? null
                    : uploaded.get(ThreadLocalRandom.current().nextInt((int) Math.min(uploads.get(), RECENT_UPLOADS)));
            if (pick < UPLOAD_PERCENT || readable == null) {
                String body = "{\"files\":[{\"name\":\"f\",\"content\":\"" + content + "\",\"tags\":[\"soak/" + run + "/" + n + "\"]}]}";
                request = request("upload", scheduled, "POST", "/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                        "Authorization: Bearer " + token, body);
            } else if (pick < UPLOAD_PERCENT + rest / 2) {
                request = request("read", scheduled, "GET", "/bytes/raw/" + readable, "Authorization: Bearer " + token, null);
            } else if (pick < UPLOAD_PERCENT + rest / 2 + rest / 3) {
                request = request("list", scheduled, "GET", "/bytes/raw?boefje_meta_id=" + boefjeMetaId + "&limit=20",
                        "Authorization: Bearer " + token, null);
            } else {
                byte[] key = ByteBuffer.allocate(16).putLong(n).putLong(System.nanoTime()).array();
                String body = "{\"keys\":[{\"key_data\":\"" + Base64.getEncoder().encodeToString(key)
                        + "\",\"rolling_start_interval_number\":" + rollingStart
                        + ",\"rolling_period\":144,\"transmission_risk_level\":5,\"report_type\":\"CONFIRMED_TEST\",\"days_since_onset_of_symptoms\":1}],"
                        + "\"visited_countries\":[\"FR\"],\"origin\":\"DE\"}";
                request = request("submit", scheduled, "POST", "/version/v1/diagnosis-keys",
                        "cwa-authorization: " + submissionToken, body);
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            queue.add(request);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;

        Map<String, List<Sample>> byOperation = new TreeMap<>();
        for (Sample sample : samples) {
            byOperation.computeIfAbsent(sample.operation(), k -> new ArrayList<>()).add(sample);
            byOperation.computeIfAbsent("all", k -> new ArrayList<>()).add(sample);
        }
        // above capacity the service refuses with 503 + Retry-After (bytekeep.edge.in-progress): latency is reported for
        // the accepted requests, the refused ones are counted (and how fast they were refused)
        System.out.println("| operation | requests | accepted/s | refused (503) | p50 ms | p99 ms | p99.9 ms | max ms | refused p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Sample>> entry : byOperation.entrySet()) {
            long[] micros = entry.getValue().stream().filter(SoakClient::accepted).mapToLong(Sample::micros).sorted().toArray();
            long[] refusedMicros = entry.getValue().stream().filter(x -> x.status() == 503).mapToLong(Sample::micros).sorted().toArray();
            Map<Integer, Long> errors = new TreeMap<>();
            entry.getValue().stream().filter(x -> !accepted(x) && x.status() != 503)
                    .forEach(x -> errors.merge(x.status(), 1L, Long::sum));
            int requests = entry.getValue().size();
            System.out.printf("| %s | %d | %.1f | %d (%.1f %%) | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", entry.getKey(), requests,
                    micros.length / elapsed, refusedMicros.length, 100.0 * refusedMicros.length / Math.max(1, requests),
                    pct(micros, 50), pct(micros, 99), pct(micros, 99.9), micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0,
                    pct(refusedMicros, 99), errors.isEmpty() ? "0" : errors.toString());
        }
        printWindows(samples, start, seconds);
        System.out.printf("%nscheduled=%d completed=%d target rate=%d/s elapsed=%.1fs max in flight=%d unfinished=%d io errors=%s%n",
                sequence.get(), samples.size(), rate, elapsed, maxInFlight.get(), inFlight.get(), ioErrors);
        if (amqp != null) {
            long acknowledged = samples.stream().filter(x -> x.operation().equals("upload") && x.status() == 200).count();
            long events = amqp.awaitAtLeast(acknowledged, 30_000);
            System.out.printf("events drained from %s: %d for %d acknowledged uploads (drain connection %s)%n", args[8],
                    events, acknowledged, amqp.isOpen() ? "open throughout" : "lost: " + amqp.closeReason());
            amqp.close();
        }
        System.exit(0);
    }

    /**
     * The run's latencies by when the requests were scheduled (at most 60 windows, none shorter than 10 s): a stall or a
     * backlog that builds and drains shows as the windows it spans, a slow start (the JIT still compiling) as the first
     * ones, where the whole run's percentiles cannot tell them apart.
     */
    private static void printWindows(Queue<Sample> samples, long start, long seconds) {
        long windowSeconds = Math.max(10, (seconds + 59) / 60);
        Map<Long, List<Sample>> byWindow = new TreeMap<>();
        for (Sample sample : samples) {
            byWindow.computeIfAbsent((sample.scheduledAt() - start) / (windowSeconds * 1_000_000_000L), k -> new ArrayList<>()).add(sample);
        }
        System.out.printf("%nBy when the requests were scheduled (%d s windows; latency of the accepted ones):%n%n", windowSeconds);
        System.out.println("| scheduled at s | requests | accepted | refused (503) | other errors | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Long, List<Sample>> window : byWindow.entrySet()) {
            long[] micros = window.getValue().stream().filter(SoakClient::accepted).mapToLong(Sample::micros).sorted().toArray();
            long refused = window.getValue().stream().filter(x -> x.status() == 503).count();
            System.out.printf("| %d | %d | %d | %d | %d | %.1f | %.1f | %.1f |%n", window.getKey() * windowSeconds,
                    window.getValue().size(), micros.length, refused, window.getValue().size() - micros.length - refused,
                    pct(micros, 50), pct(micros, 99), micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0);
        }
    }

    private static Request request(String operation, long scheduledAt, String method, String path, String credential,
                                   String json) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: bytekeep\r\n" + credential + "\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n");
        return new Request(operation, scheduledAt, head.getBytes(StandardCharsets.US_ASCII),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean accepted(Sample sample) {
        return sample.status() >= 200 && sample.status() < 300;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
