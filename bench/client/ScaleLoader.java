import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.bytekeep.atrest.Encoded;
import io.bytekeep.atrest.EnvelopeAesGcmMiddleware;
import io.bytekeep.atrest.KekRing;
import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.proof.InMemoryHashRepository;
import io.bytekeep.vault.BoefjeMeta;
import io.bytekeep.vault.IncomingRaw;
import io.bytekeep.vault.ProofHasher;
import io.bytekeep.vault.RawPacker;
import io.bytekeep.vault.JdbcMetaStore;
import io.bytekeep.vault.JdbcRawStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fills a stopped embedded-default data directory with raw files, through the Vault's own steps and stores: each file
 * (1 KiB, distinct bytes) gets its SHA-512 proof hash (ProofHasher), the IN_MEMORY hash repository's link, ENVELOPE_AES_GCM
 * encryption under the data directory's generated KEK (EnvelopeAesGcmMiddleware), a place in a pack of --pack files
 * written through the S3 API of the embedded S3 server on the data directory (EmbeddedS3Server, as the service
 * writes), and its rows through JdbcRawStore.recordRaws, one transaction per batch, without events (as an import). So
 * every loaded file reads back through GET /bytes/raw/{id}. Boefje metas: one per --per-meta files, organisations
 * org-0..org-(n-1) in turn. Loads until the database holds --total raw files (so runs add up: 100k, then 1M, ...).
 *
 * Usage (the service stopped: H2 is one process's): java -cp <app classes and libraries>:<client> ScaleLoader
 *   --data <data dir> --total 1000000 [--organizations 10] [--per-meta 100] [--pack 16] [--batch 8192]
 *   [--compact-every 1000000]
 * Prints one line per batch and, at the end, "loaded=<n> total=<n> seconds=<s> files_per_s=<r>".
 */
public class ScaleLoader {

    private static final String RAW_BUCKET = "bytekeep-raw";
    private static final List<String> MIME_TYPES = List.of("boefje/dns-records", "boefje/nmap", "boefje/ssl-certificates",
            "boefje/http-headers", "text/plain", "application/json", "text/html", "boefje/shodan");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path data = Path.of(options.get("data")).toAbsolutePath();
        long total = Long.parseLong(options.get("total"));
        int organizations = Integer.parseInt(options.getOrDefault("organizations", "10"));
        int perMeta = Integer.parseInt(options.getOrDefault("per-meta", "100"));
        int perPack = Integer.parseInt(options.getOrDefault("pack", "16"));
        int batchSize = Integer.parseInt(options.getOrDefault("batch", "8192"));
        long compactEvery = Long.parseLong(options.getOrDefault("compact-every", "1000000"));

        Properties secrets = new Properties();
        try (InputStream in = Files.newInputStream(data.resolve("generated-secrets.properties"))) {
            secrets.load(in);
        }
        KekRing keks = new KekRing(Map.of("kek-1", Base64.getDecoder().decode(secrets.getProperty("kek-key-b64"))), "kek-1");
        EnvelopeAesGcmMiddleware encryption = new EnvelopeAesGcmMiddleware(keks, 64 * 1024, new SecureRandom());
        ProofHasher hasher = new ProofHasher("sha512");
        InMemoryHashRepository proofs = new InMemoryHashRepository(1024);

        Database database = new Database(data);
        EmbeddedS3Server s3Server = new EmbeddedS3Server(data.resolve("s3"), 0, secrets.getProperty("s3-access-key"),
                secrets.getProperty("s3-secret-key"));
        s3Server.start();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (S3Client s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        secrets.getProperty("s3-access-key"), secrets.getProperty("s3-secret-key")))).build()) {
            long existing = database.jdbc.getJdbcTemplate().queryForObject("select count(*) from raw_file", Long.class);
            long started = System.nanoTime();
            long loaded = 0;
            Random random = new Random(existing);
            Instant endedAt = Instant.parse("2026-12-01T00:00:00Z");
            BoefjeMeta meta = null;
            while (existing + loaded < total) {
                int size = (int) Math.min(batchSize, total - existing - loaded);
                List<IncomingRaw> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    long index = existing + loaded + i;
                    if (meta == null || index % perMeta == 0) {
                        meta = new BoefjeMeta(UUID.randomUUID(), endedAt.minusSeconds(60), endedAt,
                                new BoefjeMeta.Boefje("scale-boefje-" + index % 7, "1"), "Hostname|internet|host-" + index / perMeta,
                                Map.of(), "org-" + (index / perMeta) % organizations, null, Map.of());
                        database.metas.insertBoefjeMeta(meta);
                    }
                    byte[] content = new byte[1024];
                    random.nextBytes(content);
                    ByteBuffer.wrap(content).putLong(index);
                    // a boefje meta's files have distinct sets of mime types (Bytes' unique constraint)
                    TreeSet<String> mimeTypes = new TreeSet<>(List.of(MIME_TYPES.get((int) (index % MIME_TYPES.size())),
                            "scale/part-" + index % perMeta));
                    IncomingRaw raw = new IncomingRaw(meta, "scale-" + index, mimeTypes, ContentSource.of(content));
                    raw.announce(false);
                    try (InputStream plain = raw.content().open()) {
                        raw.secureHash(hasher.hash(plain, meta.endedAt()));
                    }
                    raw.hashRetrievalLink(proofs.store(raw.secureHash()));
                    Encoded encoded = encryption.encode(raw.content());
                    raw.stored(encoded.stored(), encryption.name(), encoded.key());
                    batch.add(raw);
                }
                List<Future<?>> packs = new ArrayList<>();
                for (int from = 0; from < batch.size(); from += perPack) {
                    List<IncomingRaw> pack = batch.subList(from, Math.min(batch.size(), from + perPack));
                    packs.add(writers.submit(() -> writePack(s3, pack)));
                }
                for (Future<?> pack : packs) {
                    pack.get();
                }
                database.raws.recordRaws(batch, "raw_file_received", null);
                loaded += size;
                // the last batch is left to the compaction at the end
                if ((existing + loaded) % compactEvery < size && existing + loaded < total) {
                    database = database.compacted();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("total=%d loaded=%d seconds=%.1f files_per_s=%.0f%n", existing + loaded, loaded, seconds,
                        loaded / seconds);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("loaded=%d total=%d seconds=%.1f files_per_s=%.0f%n", loaded, existing + loaded, seconds,
                    loaded / Math.max(seconds, 1e-9));
        } finally {
            writers.shutdownNow();
            s3Server.stop();
            database.compacted().close();
        }
    }

    /**
     * The service's H2 database, one connection. H2 writes changed pages to new places and frees a chunk of the file
     * only when all its pages are stale: loading 1M files left a 7.0 GB file with 0.64 GB of data. SHUTDOWN COMPACT
     * rewrites it (12 s at 1M files), so the loader compacts every --compact-every files and at the end.
     */
    private static final class Database {

        private final Path data;
        private final SingleConnectionDataSource connection;
        final NamedParameterJdbcTemplate jdbc;
        final JdbcMetaStore metas;
        final JdbcRawStore raws;

        Database(Path data) {
            this.data = data;
            this.connection = new SingleConnectionDataSource("jdbc:h2:file:" + data.resolve("db/bytekeep")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "bytekeep", "", true);
            this.jdbc = new NamedParameterJdbcTemplate(connection);
            ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
            this.metas = new JdbcMetaStore(jdbc, json);
            this.raws = new JdbcRawStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(connection)), json,
                    Clock.systemUTC());
        }

        Database compacted() {
            long started = System.nanoTime();
            jdbc.getJdbcTemplate().execute("shutdown compact");
            connection.destroy();
            System.out.printf("compacted in %.1f s%n", (System.nanoTime() - started) / 1e9);
            return new Database(data);
        }

        void close() {
            jdbc.getJdbcTemplate().execute("shutdown");
            connection.destroy();
        }
    }

    private static void writePack(S3Client s3, List<IncomingRaw> files) {
        String key = RawPacker.packKey(UUID.randomUUID());
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>(files.size());
        try {
            for (IncomingRaw file : files) {
                offsets.add((long) pack.size());
                try (InputStream stored = file.stored().open()) {
                    stored.transferTo(pack);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = pack.toByteArray();
        s3.putObject(b -> b.bucket(RAW_BUCKET).key(key).contentType("application/octet-stream"), RequestBody.fromBytes(bytes));
        for (int i = 0; i < files.size(); i++) {
            files.get(i).storedAt(RAW_BUCKET, key, offsets.get(i));
        }
    }
}
