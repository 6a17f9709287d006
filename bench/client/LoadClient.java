import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.common.io.ByteStreams;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Closed-loop load client of the Bytekeep benchmarks (bench/vault-load.sh). N threads, each with ONE persistent
 * HTTP/1.1 connection (a hand-written client over a plain socket, so the client costs little CPU on a 2-core box),
 * send a request, wait for the answer, send the next. A warm-up phase is discarded; the measured phase reports
 * completed requests/s, latency percentiles, errors, and the CPU used by the server process, by this client and
 * by everything else on the machine (read from /proc, so contention from other processes shows).
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code vault}: POST /bytes/raw?boefje_meta_id=ID with Bytes' JSON body (one file, base64 content, a distinct
 *       mime type per request so no request is answered as a duplicate).</li>
 *   <li>{@code s3}: PUT of the same payload straight to the S3 API (AWS signature v4, signed payload hash), same
 *       client, same connections: the ceiling the Vault's storage step can reach.</li>
 *   <li>{@code s3sdk}: the same PUTs through the AWS SDK v2 S3Client built as the application builds its own
 *       (Apache HTTP client, path style, checksums when required): what the app's S3 step costs on the client side.</li>
 *   <li>{@code sha512}: the JVM's SHA-512 throughput over a 64 KiB buffer (the proof hash of the Vault).</li>
 *   <li>{@code threads}: the server's CPU by stage in windows of {@code --interval} seconds for {@code --duration}
 *       seconds, as a markdown table (bench/soak.sh: which stage grows over a long run).</li>
 * </ul>
 * Run: {@code java -cp 'BOOT-INF/lib/*' bench/client/LoadClient.java --mode vault ...} (Java 17 single-file launch).
 */
public final class LoadClient {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        String mode = opt.getOrDefault("mode", "vault");
        if (mode.equals("sha512")) {
            sha512(opt);
            return;
        }
        if (mode.equals("jfr")) {
            jfrSummary(opt);
            return;
        }
        if (mode.equals("s3file")) {
            new LoadClient(opt).putFile();
            return;
        }
        if (mode.equals("threads")) {
            ThreadCpu.windows(opt);
            return;
        }
        new LoadClient(opt).run();
    }

    // ----------------------------------------------------------------------------------------------- load run

    private final Map<String, String> opt;
    private final String mode;
    private final int threads;
    private final long warmupNanos;
    private final long measureNanos;
    private final int payloadSize;
    private final byte[] payload;
    private final String payloadBase64;
    private final String runId;
    private final long serverPid;

    private final AtomicLong warmupDone = new AtomicLong();
    private final AtomicLong measuredHttpErrors = new AtomicLong();
    private final AtomicLong measuredIoErrors = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong acceptedWholeRun = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Map<String, String> errorSamples = new ConcurrentHashMap<>();

    private LoadClient(Map<String, String> opt) {
        this.opt = opt;
        this.mode = opt.getOrDefault("mode", "vault");
        this.threads = Integer.parseInt(opt.getOrDefault("threads", "32"));
        this.warmupNanos = (long) (Double.parseDouble(opt.getOrDefault("warmup", "15")) * 1e9);
        this.measureNanos = (long) (Double.parseDouble(opt.getOrDefault("duration", "60")) * 1e9);
        this.payloadSize = Integer.parseInt(opt.getOrDefault("size", "1024"));
        this.payload = new byte[payloadSize];
        new Random(42).nextBytes(payload);
        this.payloadBase64 = Base64.getEncoder().encodeToString(payload);
        this.runId = opt.getOrDefault("run-id", Long.toString(System.currentTimeMillis(), 36));
        this.serverPid = Long.parseLong(opt.getOrDefault("server-pid", "0"));
    }

    /** One worker's requests; every thread owns one of these (no sharing on the hot path). */
    private interface Sender extends AutoCloseable {
        /** Sends request number {@code seq}; returns the HTTP status. */
        int send(long seq) throws Exception;

        /** False once the server answered "Connection: close" (Tomcat does after maxKeepAliveRequests, 100). */
        default boolean reusable() {
            return true;
        }

        @Override
        void close();
    }

    private void run() throws Exception {
        // a downstream consumer, as a deployment has: without one the broker keeps every event in the heap it shares
        EventDrain drain = opt.containsKey("amqp-uri")
                ? new EventDrain(opt.get("amqp-uri"), opt.getOrDefault("queue", "raw_file_received"), "bytekeep-bench-drain") : null;
        long start = System.nanoTime();
        long measureStart = start + warmupNanos;
        long measureEnd = measureStart + measureNanos;
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                long seq = 0;
                Sender sender = null;
                try {
                    while (true) {
                        long begin = System.nanoTime();
                        if (begin >= measureEnd) {
                            break;
                        }
                        int status;
                        if (sender != null && !sender.reusable()) {
                            sender.close();          // the server ended keep-alive: reconnect, as any client does
                            sender = null;
                            reconnects.incrementAndGet();
                        }
                        try {
                            if (sender == null) {
                                sender = sender(id);
                            }
                            status = sender.send(seq++);
                        } catch (Exception e) {
                            status = -1;
                            recordError("io:" + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                            if (begin >= measureStart) {
                                measuredIoErrors.incrementAndGet();
                            }
                            if (sender != null) {
                                sender.close();
                                sender = null;
                            }
                            Thread.sleep(10);
                        }
                        long end = System.nanoTime();
                        if (status >= 200 && status < 300) {
                            acceptedWholeRun.incrementAndGet();
                        }
                        if (begin >= measureStart && end <= measureEnd) {
                            if (status >= 200 && status < 300) {
                                if (n == lat.length) {
                                    lat = Arrays.copyOf(lat, n * 2);
                                }
                                lat[n++] = end - begin;
                            } else if (status > 0) {
                                measuredHttpErrors.incrementAndGet();
                            }
                        } else if (end < measureStart && status >= 200 && status < 300) {
                            warmupDone.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (sender != null) {
                        sender.close();
                    }
                    latencies[id] = lat;
                    counts[id] = n;
                    done.countDown();
                }
            }, "load-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }

        // CPU accounting over exactly the measured window, from /proc.
        sleepUntil(measureStart);
        Cpu before = Cpu.read(serverPid);
        Map<String, String[]> threadsBefore = ThreadCpu.byStage(serverPid);
        long mid = measureStart + measureNanos / 2;
        sleepUntil(mid);
        if (opt.containsKey("top-file")) {
            Files.writeString(Path.of(opt.get("top-file")), top(serverPid));
        }
        sleepUntil(measureEnd);
        Cpu after = Cpu.read(serverPid);
        Map<String, String[]> threadsAfter = ThreadCpu.byStage(serverPid);
        done.await();

        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int pos = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, pos, counts[t]);
            pos += counts[t];
        }
        Arrays.sort(all);
        double seconds = measureNanos / 1e9;
        long errorCount = measuredHttpErrors.get() + measuredIoErrors.get();

        Map<String, String> result = new LinkedHashMap<>();
        result.put("mode", mode);
        result.put("threads", Integer.toString(threads));
        result.put("payload_bytes", Integer.toString(payloadSize));
        result.put("warmup_s", fmt(warmupNanos / 1e9));
        result.put("warmup_ok", Long.toString(warmupDone.get()));
        result.put("measured_s", fmt(seconds));
        result.put("ok", Integer.toString(total));
        result.put("errors", Long.toString(errorCount));
        result.put("errors_http", Long.toString(measuredHttpErrors.get()));
        result.put("errors_io", Long.toString(measuredIoErrors.get()));
        result.put("errors_by_kind_whole_run", new TreeMap<>(errors).toString());
        result.put("reconnects_after_connection_close", Long.toString(reconnects.get()));
        result.put("rps", fmt(total / seconds));
        result.put("lat_mean_ms", total == 0 ? "-" : fmt(Arrays.stream(all).average().orElse(0) / 1e6));
        result.put("lat_p50_ms", pct(all, 0.50));
        result.put("lat_p90_ms", pct(all, 0.90));
        result.put("lat_p99_ms", pct(all, 0.99));
        result.put("lat_p999_ms", pct(all, 0.999));
        result.put("lat_max_ms", total == 0 ? "-" : fmt(all[total - 1] / 1e6));
        before.diff(after, result);
        ThreadCpu.perRequest(threadsBefore, threadsAfter, total, result);
        if (drain != null) {
            result.put("accepted_whole_run", Long.toString(acceptedWholeRun.get()));
            result.put("events_delivered", Long.toString(drain.awaitAtLeast(acceptedWholeRun.get(), 60_000)));
            result.put("event_drain", drain.isOpen() ? "open throughout" : "lost: " + drain.closeReason());
            drain.close();
        }
        if (!errorSamples.isEmpty()) {
            result.put("error_samples", errorSamples.toString().replace('\n', ' '));
        }

        StringBuilder text = new StringBuilder();
        result.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        System.out.print(text);
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), text);
        }
        System.exit(0);
    }

    private Sender sender(int thread) throws Exception {
        return switch (mode) {
            case "vault" -> new VaultSender(thread);
            case "s3" -> new S3Sender(thread);
            case "s3sdk" -> new S3SdkSender(thread);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    private void recordError(String kind, String sample) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (sample != null && errorSamples.size() < 5) {
            errorSamples.putIfAbsent(kind, sample.length() > 300 ? sample.substring(0, 300) : sample);
        }
    }

    /** Distinct per request and per run: "<run>-t<thread>-<seq>". */
    private String unique(int thread, long seq) {
        return runId + "-t" + thread + "-" + seq;
    }

    /**
     * The S3 object key of request {@code seq}: distinct per request, or with {@code --key-space N} one of N keys
     * per thread, overwritten in turn (bounds the memory of an in-memory S3 backend, e.g. the export server).
     */
    private String s3Key(String defaultPrefix, int thread, long seq) {
        String prefix = opt.getOrDefault("prefix", defaultPrefix);
        long keySpace = Long.parseLong(opt.getOrDefault("key-space", "0"));
        return prefix + "/" + unique(thread, keySpace > 0 ? seq % keySpace : seq);
    }

    // ------------------------------------------------------------------------------------- Vault: POST /bytes/raw

    private final class VaultSender implements Sender {
        private final int thread;
        private final HttpConnection http;
        private final byte[] head;
        private final byte[] bodyStart;
        private final byte[] bodyEnd;

        VaultSender(int thread) throws IOException {
            this.thread = thread;
            URI base = URI.create(opt.get("url"));
            this.http = new HttpConnection(base.getHost(), base.getPort());
            String path = "/bytes/raw?boefje_meta_id=" + opt.get("boefje-meta-id");
            this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + opt.get("token")
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n").getBytes(StandardCharsets.US_ASCII);
            this.bodyStart = ("{\"files\":[{\"name\":\"bench\",\"content\":\"" + payloadBase64 + "\",\"tags\":[\"bench/")
                    .getBytes(StandardCharsets.US_ASCII);
            this.bodyEnd = "\"]}]}".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int send(long seq) throws IOException {
            byte[] tag = unique(thread, seq).getBytes(StandardCharsets.US_ASCII);
            int length = bodyStart.length + tag.length + bodyEnd.length;
            HttpConnection.Response r = http.exchange(head, length, bodyStart, tag, bodyEnd);
            if (r.status() / 100 != 2) {
                recordError("http:" + r.status(), new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.status();
        }

        @Override
        public boolean reusable() {
            return http.reusable();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    // ---------------------------------------------------------------------------- S3 direct: PUT, signature v4

    private final class S3Sender implements Sender {
        private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
        private final int thread;
        private final HttpConnection http;
        private final String hostHeader;
        private final String bucket;
        private final String accessKey;
        private final String secretKey;
        private final String region;
        private final Mac mac;
        private final MessageDigest sha256;
        private String signingDay;
        private byte[] signingKey;

        S3Sender(int thread) throws Exception {
            this.thread = thread;
            URI endpoint = URI.create(opt.get("s3-endpoint"));
            this.http = new HttpConnection(endpoint.getHost(), endpoint.getPort());
            this.hostHeader = endpoint.getHost() + ":" + endpoint.getPort();
            this.bucket = opt.getOrDefault("bucket", "bytekeep-raw");
            this.accessKey = opt.get("s3-access-key");
            this.secretKey = opt.get("s3-secret-key");
            this.region = opt.getOrDefault("region", "us-east-1");
            this.mac = Mac.getInstance("HmacSHA256");
            this.sha256 = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int send(long seq) throws Exception {
            String key = s3Key("bench-s3", thread, seq);
            String path = "/" + bucket + "/" + key;
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            String amzDate = AMZ_DATE.format(now);
            String day = amzDate.substring(0, 8);
            // the payload hash is computed per request, as a signing client must (the bytes could differ per request)
            String contentHash = hex(sha256.digest(payload));
            String canonical = "PUT\n" + path + "\n\n"
                    + "host:" + hostHeader + "\n"
                    + "x-amz-content-sha256:" + contentHash + "\n"
                    + "x-amz-date:" + amzDate + "\n\n"
                    + "host;x-amz-content-sha256;x-amz-date\n" + contentHash;
            String scope = day + "/" + region + "/s3/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                    + hex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
            if (!day.equals(signingDay)) {
                byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
                k = hmac(k, region);
                k = hmac(k, "s3");
                signingKey = hmac(k, "aws4_request");
                signingDay = day;
            }
            String signature = hex(hmac(signingKey, toSign));
            byte[] head = ("PUT " + path + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nContent-Type: application/octet-stream"
                    + "\r\nx-amz-content-sha256: " + contentHash
                    + "\r\nx-amz-date: " + amzDate
                    + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                    + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + signature + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            HttpConnection.Response r = http.exchange(head, payload.length, payload);
            if (r.status() / 100 != 2) {
                recordError("http:" + r.status(), new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.status();
        }

        private byte[] hmac(byte[] key, String data) throws Exception {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean reusable() {
            return http.reusable();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    // ------------------------------------------------------------------------- S3 direct through the AWS SDK v2

    private static volatile S3Client sharedSdk;

    private S3Client sdk() {
        synchronized (LoadClient.class) {
            if (sharedSdk == null) {
                sharedSdk = S3Client.builder()
                        .region(Region.of(opt.getOrDefault("region", "us-east-1")))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(opt.get("s3-access-key"), opt.get("s3-secret-key"))))
                        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(256))
                        .forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .endpointOverride(URI.create(opt.get("s3-endpoint")))
                        .build();
            }
            return sharedSdk;
        }
    }

    /**
     * The ceiling of a large upload: one streamed PUT of {@code --file} to {@code --bucket}/{@code --key} with the SDK
     * configured as the app's (signed {@code aws-chunked} body over HTTP, as {@code RawObjectPut} sends a stored form),
     * its time written as {@code seconds=} and {@code mb_per_s=}; before it, an untimed PUT of the file's first
     * {@code --warmup-bytes} (256 MiB), deleted again, so that this fresh JVM is compiled as the warm app is.
     */
    private void putFile() throws Exception {
        Path file = Path.of(opt.get("file"));
        String bucket = opt.getOrDefault("bucket", "bytekeep-raw");
        long size = Files.size(file);
        // this JVM is fresh and the app is warm: the SDK's signing (SHA-256, HMAC) is compiled first, as in the app
        warmUpSigning();
        long warmUpBytes = Math.min(size, Long.parseLong(opt.getOrDefault("warmup-bytes", Long.toString(256L << 20))));
        String warmUpKey = opt.get("key") + ".warm-up";
        putStreamed(bucket, warmUpKey, file, warmUpBytes);
        sdk().deleteObject(b -> b.bucket(bucket).key(warmUpKey));
        long t0 = System.nanoTime();
        int status = putStreamed(bucket, opt.get("key"), file, size);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String text = "mode=s3file\nstatus=" + status + "\nbytes=" + size + "\nseconds=" + fmt(seconds)
                + "\nmb_per_s=" + fmt(size / 1e6 / seconds) + "\nwarmup_bytes=" + warmUpBytes + "\n";
        System.out.print(text);
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), text);
        }
    }

    /** One streamed PUT of the first {@code length} bytes of {@code file}; answers the HTTP status. */
    private int putStreamed(String bucket, String key, Path file, long length) {
        return sdk().putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream").contentLength(length),
                RequestBody.fromContentProvider(() -> {
                    try {
                        return ByteStreams.limit(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, length, "application/octet-stream")).sdkHttpResponse().statusCode();
    }

    private static void warmUpSigning() throws Exception {
        byte[] block = new byte[1024];
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        for (int i = 0; i < 20_000; i++) {
            sha256.update(block);
            hmac.update(block);
        }
        sha256.digest();
        hmac.doFinal();
    }

    private final class S3SdkSender implements Sender {
        private final int thread;
        private final S3Client s3;

        S3SdkSender(int thread) {
            this.thread = thread;
            this.s3 = sdk();
        }

        @Override
        public int send(long seq) {
            String key = s3Key("bench-s3sdk", thread, seq);
            return s3.putObject(b -> b.bucket(opt.getOrDefault("bucket", "bytekeep-raw")).key(key)
                            .contentType("application/octet-stream").contentLength((long) payload.length),
                    RequestBody.fromBytes(payload)).sdkHttpResponse().statusCode();
        }

        @Override
        public void close() {
            // the client is shared
        }
    }

    // ------------------------------------------------------------------------------ minimal HTTP/1.1 connection

    /** One keep-alive HTTP/1.1 connection: writes a request, reads status, headers and the (sized or chunked) body. */
    // ------------------------------------------------------------------------------------------- CPU from /proc

    /** Jiffies of the whole machine, of the server process and of this process at one instant. */
    record Cpu(long[] machine, long server, long self, long wallNanos) {
        static Cpu read(long serverPid) throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] m = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                m[i - 1] = Long.parseLong(f[i]);
            }
            return new Cpu(m, serverPid > 0 ? procJiffies("/proc/" + serverPid + "/stat") : 0,
                    procJiffies("/proc/self/stat"), System.nanoTime());
        }

        private static long procJiffies(String file) throws IOException {
            String s = Files.readString(Path.of(file));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);  // utime + stime (fields 14, 15)
        }

        /** Adds CPU use in percent of ONE core (200 = both cores of a 2-core machine busy). */
        void diff(Cpu after, Map<String, String> out) {
            long[] d = new long[machine.length];
            long total = 0;
            for (int i = 0; i < machine.length; i++) {
                d[i] = after.machine[i] - machine[i];
                total += d[i];
            }
            int cores = Runtime.getRuntime().availableProcessors();
            double perCore = total / (double) cores;           // jiffies one core had in the window
            long idle = d[3] + (d.length > 4 ? d[4] : 0);       // idle + iowait
            long busy = total - idle;
            long serverJ = after.server - server;
            long selfJ = after.self - self;
            out.put("cpu_cores", Integer.toString(cores));
            out.put("cpu_machine_busy_pct", fmt(100.0 * busy / perCore));
            out.put("cpu_iowait_pct", fmt(100.0 * (d.length > 4 ? d[4] : 0) / perCore));
            out.put("cpu_server_pct", fmt(100.0 * serverJ / perCore));
            out.put("cpu_client_pct", fmt(100.0 * selfJ / perCore));
            long irq = (d.length > 5 ? d[5] : 0) + (d.length > 6 ? d[6] : 0);
            out.put("cpu_softirq_pct", fmt(100.0 * irq / perCore));  // loopback networking mostly; no process is charged
            out.put("cpu_other_pct", fmt(100.0 * (busy - serverJ - selfJ - irq) / perCore));
            out.put("cpu_steal_pct", fmt(100.0 * (d.length > 7 ? d[7] : 0) / perCore));
        }
    }

    /**
     * CPU of the server's threads by what they do, from /proc/PID/task/TID/stat (exact, unlike sampling): the stage is
     * the thread's name (the kernel keeps 15 characters of it). The request threads (bytekeep-http) run several stages;
     * the JFR summary splits them by their samples.
     */
    static final class ThreadCpu {
        /** id, label, thread name prefixes */
        static final String[][] STAGES = {
                {"gc", "JVM: garbage collection", "GC Thread", "ParGC Thread", "G1 "},
                {"jit", "JVM: JIT compiler", "C1 Compiler", "C2 Compiler", "Sweeper"},
                {"http_io", "HTTP in: Tomcat's I/O threads", "http-nio-"},
                {"request", "request threads (split below by JFR samples)", "bytekeep-http"},
                {"pack_writer", "storage: pack writer (S3 client)", "raw-packs"},
                {"s3_server", "storage: embedded S3 server (S3Proxy, jclouds)", "S3Proxy"},
                {"db_commit", "database: group commit thread", "raw-records"},
                {"h2", "database: H2's own threads", "H2-", "MVStore", "HikariPool"},
                {"publisher", "events: group publication, relay", "events-now", "spring-rabbit", "AMQP Connection", "outbox-relay"},
                {"broker", "events: embedded broker (Qpid)", "virtualhost", "default-store", "IO-", "Selector-", "Housekeeping", "broker-"},
                {"other", "other threads"},
        };

        /** Clock ticks so far of each live thread of {@code pid}, by thread id; each value: {stage id, ticks}. */
        static Map<String, String[]> byStage(long pid) {
            Map<String, String[]> threads = new LinkedHashMap<>();
            if (pid <= 0) {
                return threads;
            }
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        threads.put(task.getFileName().toString(),
                                new String[] {stage(name), Long.toString(Long.parseLong(f[11]) + Long.parseLong(f[12]))});
                    } catch (IOException | RuntimeException threadEnded) {
                        // the thread ended between the listing and the read
                    }
                });
            } catch (IOException e) {
                return threads;
            }
            return threads;
        }

        /**
         * Prints, for each window of {@code --interval} s over {@code --duration} s, the percent of one core each stage
         * of {@code --server-pid} used, and the size of {@code --file} (the embedded database) at the window's end.
         */
        static void windows(Map<String, String> opt) throws InterruptedException {
            long pid = Long.parseLong(opt.get("server-pid"));
            long interval = Long.parseLong(opt.getOrDefault("interval", "20"));
            long duration = Long.parseLong(opt.getOrDefault("duration", "600"));
            Path file = opt.containsKey("file") ? Path.of(opt.get("file")) : null;
            StringBuilder header = new StringBuilder("| from s |");
            StringBuilder rule = new StringBuilder("|---|");
            for (String[] stage : STAGES) {
                header.append(' ').append(stage[0]).append(" |");
                rule.append("---|");
            }
            System.out.println(header + " all |" + (file == null ? "" : " " + file.getFileName() + " MB |"));
            System.out.println(rule + "---|" + (file == null ? "" : "---|"));
            Map<String, String[]> before = byStage(pid);
            long start = System.nanoTime();
            for (long from = 0; from + interval <= duration; from += interval) {
                long due = start + (from + interval) * 1_000_000_000L;
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                Map<String, String[]> after = byStage(pid);
                if (after.isEmpty()) {
                    return;   // the server ended
                }
                Map<String, Long> ticks = ticksBetween(before, after);
                StringBuilder row = new StringBuilder("| " + from + " |");
                long all = 0;
                for (String[] stage : STAGES) {
                    long t = ticks.getOrDefault(stage[0], 0L);
                    all += t;
                    row.append(' ').append(fmt(t / (double) interval)).append(" |");   // ticks of 10 ms per s = %
                }
                row.append(' ').append(fmt(all / (double) interval)).append(" |");
                if (file != null) {
                    row.append(' ').append(fmt(sizeOf(file) / 1048576.0)).append(" |");
                }
                System.out.println(row);
                before = after;
            }
        }

        /** Clock ticks each stage used between two readings of {@link #byStage}. */
        static Map<String, Long> ticksBetween(Map<String, String[]> before, Map<String, String[]> after) {
            Map<String, Long> ticks = new LinkedHashMap<>();
            after.forEach((tid, now) -> {
                String[] then = before.get(tid);
                long start = then == null ? 0 : Long.parseLong(then[1]);   // a thread started within the window
                ticks.merge(now[0], Long.parseLong(now[1]) - start, Long::sum);
            });
            return ticks;
        }

        private static long sizeOf(Path file) {
            try {
                return Files.size(file);
            } catch (IOException gone) {
                return 0;
            }
        }

        static String stage(String threadName) {
            for (String[] stage : STAGES) {
                for (int i = 2; i < stage.length; i++) {
                    if (threadName.startsWith(stage[i])) {
                        return stage[0];
                    }
                }
            }
            return "other";
        }

        /**
         * Adds cpu_us_per_request.&lt;stage id&gt; and cpu_us_per_request_table (markdown, rows joined by ';'). Clock ticks
         * are 10 ms, so the figures mean something over thousands of requests. A thread that ended within the window is
         * not counted (its last ticks are lost), one that started within it counts from zero.
         */
        static void perRequest(Map<String, String[]> before, Map<String, String[]> after, long requests, Map<String, String> out) {
            if (requests == 0 || after.isEmpty()) {
                return;
            }
            Map<String, Long> ticks = ticksBetween(before, after);
            StringBuilder table = new StringBuilder();
            double sum = 0;
            for (String[] stage : STAGES) {
                double us = ticks.getOrDefault(stage[0], 0L) * 10_000.0 / requests;
                sum += us;
                out.put("cpu_us_per_request." + stage[0], fmt(us));
                table.append("| ").append(stage[1]).append(" | ").append(fmt(us)).append(" |;");
            }
            out.put("cpu_us_per_request.all_threads", fmt(sum));
            out.put("cpu_us_per_request_table", table + "| **all threads** | **" + fmt(sum) + "** |");
        }
    }

    private static String top(long pid) {
        try {
            Process p = new ProcessBuilder("top", "-H", "-b", "-n", "1", "-w", "200", "-p", Long.toString(pid))
                    .redirectErrorStream(true).start();
            String machine = new String(new ProcessBuilder("top", "-b", "-n", "1", "-w", "200")
                    .redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String threads = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return "== top -b -n 1 (processes)\n" + head(machine, 25) + "\n== top -H -b -n 1 -p " + pid
                    + " (threads of the server)\n" + head(threads, 45);
        } catch (IOException e) {
            return "top failed: " + e;
        }
    }

    private static String head(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", Arrays.copyOf(all, Math.min(lines, all.length)));
    }

    // ----------------------------------------------------------------------------------------------- sha512

    private static void sha512(Map<String, String> opt) throws Exception {
        long bytes = Long.parseLong(opt.getOrDefault("bytes", Long.toString(1L << 30)));
        byte[] buf = new byte[64 * 1024];
        new Random(1).nextBytes(buf);
        MessageDigest warm = MessageDigest.getInstance("SHA-512");
        for (int i = 0; i < 4096; i++) {
            warm.update(buf);                   // 256 MiB warm-up so the intrinsic is compiled
        }
        warm.digest();
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        long t0 = System.nanoTime();
        for (long done = 0; done < bytes; done += buf.length) {
            md.update(buf);
        }
        md.digest();
        double s = (System.nanoTime() - t0) / 1e9;
        String text = "mode=sha512\nprovider=" + md.getProvider().getName() + "\nbytes=" + bytes + "\nseconds=" + fmt(s)
                + "\nmb_per_s=" + fmt(bytes / 1e6 / s) + "\n";
        System.out.print(text);
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), text);
        }
    }

    // ------------------------------------------------------------------------------------ JFR profile summary

    /** Where the server's CPU samples fall: by component (inclusive: a sample counts for every component on its stack),
     * and the hottest leaf frames. Reads a recording made with {@code jcmd PID JFR.start settings=profile}. */
    private static void jfrSummary(Map<String, String> opt) throws IOException {
        String[][] components = {
                {"Tomcat + Spring MVC (HTTP in)", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.", "org.springframework.web."},
                {"Camel routing", "org.apache.camel."},
                {"Bytekeep code", "io.bytekeep."},
                {"Jackson JSON", "com.fasterxml.jackson."},
                {"JWT (nimbus)", "com.nimbusds."},
                {"H2 database", "org.h2."},
                {"HikariCP", "com.zaxxer.hikari."},
                {"AWS SDK v2 (S3 client)", "software.amazon.awssdk."},
                {"Apache HttpClient (SDK transport)", "org.apache.http."},
                {"S3Proxy server", "org.gaul.s3proxy."},
                {"jclouds filesystem blob store", "org.jclouds."},
                {"Jetty (S3Proxy HTTP)", "org.gaul.shaded.org.eclipse.jetty.", "org.eclipse.jetty."},
                {"Qpid broker", "org.apache.qpid."},
                {"Spring AMQP / RabbitMQ client", "org.springframework.amqp.", "com.rabbitmq."},
                {"hashing / crypto (JDK)", "sun.security.provider.", "com.sun.crypto.provider.", "javax.crypto."},
                {"file I/O (JDK)", "sun.nio.fs.", "sun.nio.ch.FileChannelImpl", "java.io.FileOutputStream", "java.io.FileInputStream"},
                {"socket I/O (JDK)", "sun.nio.ch.SocketDispatcher", "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.EPoll"},
                {"reflection / bean invocation", "java.lang.reflect.", "jdk.internal.reflect."},
                {"logging", "ch.qos.logback.", "org.slf4j.", "org.apache.logging."},
        };
        Map<String, Long> byComponent = new LinkedHashMap<>();
        Map<String, Long> byLeaf = new java.util.HashMap<>();
        Map<String, Long> byThread = new java.util.HashMap<>();
        Map<String, Long> byBytekeep = new java.util.HashMap<>();
        Map<String, Long> hashCallers = new java.util.HashMap<>();
        // what the request threads (bytekeep-http) spend their CPU on: the innermost frame that names a stage decides
        String[][] requestStages = {
                {"proof hash", "sun.security.provider.", "java.security.MessageDigest", "io.bytekeep.vault.ProofHasher",
                        "io.bytekeep.vault.HashRecorder", "io.bytekeep.proof.InMemoryHashRepository"},
                {"encryption", "com.sun.crypto.provider.", "javax.crypto.", "io.bytekeep.atrest."},
                {"storage (pack hand-over, S3 client)", "io.bytekeep.vault.RawPacker", "software.amazon.awssdk.",
                        "org.apache.camel.component.aws2.", "org.apache.http."},
                {"database (duplicate look-up, hand-over)", "org.h2.", "com.zaxxer.", "org.springframework.jdbc.",
                        "org.springframework.transaction.", "io.bytekeep.vault.JdbcRawStore", "io.bytekeep.vault.DuplicateRawFinder",
                        "io.bytekeep.vault.RawRecorder"},
                {"events (hand-over)", "io.bytekeep.platform.messaging.", "org.springframework.amqp.", "com.rabbitmq."},
                {"JSON and base64 decoding", "com.fasterxml.jackson.", "io.bytekeep.vault.RawUploadReader",
                        "io.bytekeep.vault.SpillingContent", "java.util.Base64"},
                {"authentication (JWT)", "com.nimbusds.", "io.bytekeep.platform.security."},
        };
        String routing = "HTTP, edge, Camel routing, answer";
        Map<String, Long> byRequestStage = new LinkedHashMap<>();
        long requestSamples = 0;
        long total = 0;
        // what the heap's allocations are (jdk.ObjectAllocationSample, weighted by the bytes each sample stands for)
        Map<String, Long> allocationsByClass = new java.util.HashMap<>();
        Map<String, Long> allocationsBySite = new java.util.HashMap<>();
        long allocatedWeight = 0;
        // what each thread allocated, exactly (jdk.ThreadAllocationStatistics: its running total, every second)
        Map<Long, long[]> allocatedByThreadId = new java.util.HashMap<>();
        Map<Long, String> threadNames = new java.util.HashMap<>();
        try (jdk.jfr.consumer.RecordingFile file = new jdk.jfr.consumer.RecordingFile(Path.of(opt.get("file")))) {
            while (file.hasMoreEvents()) {
                jdk.jfr.consumer.RecordedEvent e = file.readEvent();
                if (e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                    jdk.jfr.consumer.RecordedThread thread = e.getThread("thread");
                    if (thread != null) {
                        long runningTotal = e.getLong("allocated");
                        allocatedByThreadId.computeIfAbsent(thread.getId(), id -> new long[] {runningTotal, runningTotal})[1] = runningTotal;
                        threadNames.put(thread.getId(), thread.getJavaName() == null ? "?" : thread.getJavaName().replaceAll("[0-9]+", "N"));
                    }
                    continue;
                }
                if (e.getEventType().getName().equals("jdk.ObjectAllocationSample") && e.getStackTrace() != null) {
                    long weight = e.getLong("weight");
                    allocatedWeight += weight;
                    jdk.jfr.consumer.RecordedClass allocated = e.getClass("objectClass");
                    allocationsByClass.merge(allocated == null ? "?" : allocated.getName(), weight, Long::sum);
                    allocationsBySite.merge(allocationSite(e.getStackTrace().getFrames()), weight, Long::sum);
                    continue;
                }
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                total++;
                List<jdk.jfr.consumer.RecordedFrame> frames = e.getStackTrace().getFrames();
                if (!frames.isEmpty()) {
                    jdk.jfr.consumer.RecordedMethod m = frames.get(0).getMethod();
                    byLeaf.merge(m.getType().getName() + "." + m.getName(), 1L, Long::sum);
                }
                String digestCaller = null;
                boolean inDigest = false;
                for (jdk.jfr.consumer.RecordedFrame f : frames) {
                    String type = f.getMethod().getType().getName();
                    if (type.startsWith("sun.security.provider.") || type.startsWith("java.security.MessageDigest")) {
                        inDigest = true;
                    } else if (inDigest && !type.startsWith("java.") && !type.startsWith("sun.") && !type.startsWith("jdk.")
                            && !type.startsWith("javax.") && !type.startsWith("com.sun.")) {
                        digestCaller = type + "." + f.getMethod().getName();
                        break;
                    }
                }
                if (digestCaller != null) {
                    hashCallers.merge(digestCaller, 1L, Long::sum);
                }
                for (jdk.jfr.consumer.RecordedFrame f : frames) {
                    String type = f.getMethod().getType().getName();
                    if (type.startsWith("io.bytekeep.")) {
                        byBytekeep.merge(type + "." + f.getMethod().getName(), 1L, Long::sum);
                        break;
                    }
                }
                jdk.jfr.consumer.RecordedThread thread = e.getThread("sampledThread");
                String tn = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName().replaceAll("[0-9]+", "N");
                byThread.merge(tn, 1L, Long::sum);
                if (tn.startsWith("bytekeep-http")) {
                    requestSamples++;
                    String stage = routing;
                    search:
                    for (jdk.jfr.consumer.RecordedFrame f : frames) {
                        String type = f.getMethod().getType().getName();
                        for (String[] candidate : requestStages) {
                            for (int i = 1; i < candidate.length; i++) {
                                if (type.startsWith(candidate[i])) {
                                    stage = candidate[0];
                                    break search;
                                }
                            }
                        }
                    }
                    byRequestStage.merge(stage, 1L, Long::sum);
                }
                for (String[] c : components) {
                    boolean hit = false;
                    for (jdk.jfr.consumer.RecordedFrame f : frames) {
                        String type = f.getMethod().getType().getName();
                        for (int i = 1; i < c.length && !hit; i++) {
                            hit = type.startsWith(c[i]);
                        }
                        if (hit) {
                            break;
                        }
                    }
                    if (hit) {
                        byComponent.merge(c[0], 1L, Long::sum);
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("jdk.ExecutionSample events: ").append(total).append(" (stack truncated at the JFR default depth of 64)\n");
        long t = Math.max(1, total);
        shares(out, "component (inclusive) | share of CPU samples", byComponent, Integer.MAX_VALUE, t, false);
        shares(out, "hottest leaf frames (self) | share", byLeaf, 20, t, true);
        shares(out, "innermost Bytekeep frame of a sample (inclusive) | share", byBytekeep, 12, t, true);
        shares(out, "who calls the JDK message digests (first non-JDK frame) | share", hashCallers, 8, t, true);
        if (requestSamples > 0) {
            // µs per request of the request threads, measured exactly in the profiled run (ThreadCpu), split by samples
            double requestUs = Double.parseDouble(opt.getOrDefault("request-us", "0"));
            long r = requestSamples;
            out.append("\n| request threads' CPU by stage (").append(r).append(" samples)")
                    .append(requestUs > 0 ? " | µs per request |" : " |").append(" share |\n|---|")
                    .append(requestUs > 0 ? "---|" : "").append("---|\n");
            byRequestStage.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(en -> out.append("| ").append(en.getKey()).append(" | ")
                            .append(requestUs > 0 ? fmt(requestUs * en.getValue() / r) + " | " : "")
                            .append(fmt(100.0 * en.getValue() / r)).append(" % |\n"));
        }
        Map<String, Long> allocatedByThread = new java.util.HashMap<>();
        allocatedByThreadId.forEach((id, totals) -> allocatedByThread.merge(threadNames.get(id), totals[1] - totals[0], Long::sum));
        long allocated = allocatedByThread.values().stream().mapToLong(Long::longValue).sum();
        long requests = Long.parseLong(opt.getOrDefault("requests", "0"));
        if (allocated > 0) {
            out.append("\n| allocated by thread (jdk.ThreadAllocationStatistics, exact)")
                    .append(requests > 0 ? " | KB per request" : "").append(" | share |\n|---|")
                    .append(requests > 0 ? "---|" : "").append("---|\n");
            allocatedByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(en -> out.append("| ").append(en.getKey()).append(" | ")
                            .append(requests > 0 ? fmt(en.getValue() / 1024.0 / requests) + " | " : "")
                            .append(fmt(100.0 * en.getValue() / allocated)).append(" % |\n"));
            if (requests > 0) {
                out.append("| **all threads** | **").append(fmt(allocated / 1024.0 / requests)).append("** | 100 % |\n");
            }
        }
        if (allocatedWeight > 0) {
            // a sample's weight is what its thread allocated since its previous sample, and samples are taken when a
            // thread needs a new allocation buffer, often its first allocation after a wait: read these by thread
            // above, and these two tables as hints, not as a split of the bytes
            shares(out, "allocated (jdk.ObjectAllocationSample by weight, sampled), class | share", allocationsByClass, 10,
                    allocatedWeight, true);
            shares(out, "allocated (sampled), first frame outside the JDK | share", allocationsBySite, 15, allocatedWeight, true);
        }
        shares(out, "threads (digits folded to N) | share", byThread, 12, t, false);
        System.out.print(out);
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), out);
        }
    }

    /** A markdown table of {@code counts} as shares of {@code total}, largest first; {@code code}: names in backticks. */
    private static void shares(StringBuilder out, String heading, Map<String, Long> counts, int limit, long total,
                               boolean code) {
        String quote = code ? "`" : "";
        out.append("\n| ").append(heading).append(" |\n|---|---|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(en -> out.append("| ").append(quote).append(en.getKey()).append(quote).append(" | ")
                        .append(fmt(100.0 * en.getValue() / total)).append(" % |\n"));
    }

    /** The innermost frame of an allocation that is not the JDK's own: the code that asked for the memory. */
    private static String allocationSite(List<jdk.jfr.consumer.RecordedFrame> frames) {
        for (jdk.jfr.consumer.RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")
                    && !type.startsWith("javax.") && !type.startsWith("com.sun.")) {
                return type + "." + f.getMethod().getName();
            }
        }
        return frames.isEmpty() ? "?" : frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        return opt;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 500)));
        }
    }

    private static String pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "-";
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return fmt(sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
