import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.atrest.KeyRecord;
import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.proof.LocalTimestampAuthority;
import io.bytekeep.proof.MerkleBatcher;
import io.bytekeep.proof.MerkleTree;
import io.bytekeep.proof.ProofStore;
import io.bytekeep.proof.TimestampClient;
import io.bytekeep.proof.TimestampVerifier;
import io.bytekeep.vault.BoefjeMeta;
import io.bytekeep.vault.IncomingRaw;
import io.bytekeep.vault.ProofHasher;
import io.bytekeep.vault.ProofQueries;
import io.bytekeep.vault.RawDataMeta;
import io.bytekeep.vault.StoredRaw;

/**
 * Merkle batching of N queued hashes with one call to a real RFC 3161 TSA in this process (bench/merkle-batch.sh).
 * In memory: tree build, all N inclusion proofs, the TSA call (with reply verification), each timed alone. Then the
 * app's own MerkleBatcher on a database (args: jdbc URLs) with N queued rows: claim, tree, proofs, TSA, batch insert,
 * N leaf updates, commit; a cold and a warm run. Prints a markdown section; writes a sample proof (the JSON of
 * GET /bytes/raw/{id}/proof), its raw bytes and the TSA's CA certificate to the output directory, the section to bench.md there.
 * Usage: MerkleBatchBench <n> <out dir> <label=jdbc url[|user|password]>...
 */
public final class MerkleBatchBench {

    private static final Instant ENDED = Instant.parse("2026-11-26T10:00:00.5Z");
    /** The markdown section (stdout carries the libraries' log lines). */
    private static java.io.PrintStream OUT;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        OUT = new java.io.PrintStream(Files.newOutputStream(out.resolve("bench.md")), true, StandardCharsets.UTF_8);
        try (LocalTimestampAuthority tsa = new LocalTimestampAuthority().start()) {
            Files.writeString(out.resolve("tsa-ca.pem"), LocalTimestampAuthority.pem(tsa.caCertificate()));
            TimestampClient client = new TimestampClient(tsa.url(), "SHA256", new TimestampVerifier(List.of(tsa.caCertificate())),
                    Duration.ofSeconds(5), Duration.ofSeconds(30));
            ProofHasher hasher = new ProofHasher("sha512");
            List<String> hashes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hashes.add(hasher.hash(new java.io.ByteArrayInputStream(content(i)), ENDED));
            }
            OUT.println("## In memory, " + n + " leaves (3 rounds; round 1 includes JIT warm-up)\n");
            OUT.println("| round | tree build | all " + n + " inclusion proofs | TSA call (request, reply checks) | sum |");
            OUT.println("|---|---|---|---|---|");
            for (int round = 1; round <= 3; round++) {
                long t0 = System.nanoTime();
                List<byte[]> leafData = hashes.stream().map(h -> h.getBytes(StandardCharsets.UTF_8)).toList();
                MerkleTree tree = new MerkleTree(leafData);
                long t1 = System.nanoTime();
                long pathBytes = 0;
                for (int i = 0; i < n; i++) {
                    pathBytes += tree.inclusionProof(i).size();
                }
                long t2 = System.nanoTime();
                client.timestamp(tree.root());
                long t3 = System.nanoTime();
                OUT.printf("| %d | %s | %s (%.1f hashes per proof) | %s | %s |%n", round, ms(t1 - t0), ms(t2 - t1),
                        (double) pathBytes / n, ms(t3 - t2), ms(t3 - t0));
            }
            for (int a = 2; a < args.length; a++) {
                String[] label = args[a].split("=", 2);
                String[] url = label[1].split("\\|");
                database(label[0], url, n, hashes, client, out, a == 2);
            }
        }
    }

    private static void database(String label, String[] url, int n, List<String> hashes, TimestampClient client, Path out,
                                 boolean writeSample) throws Exception {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url[0]);
            if (url.length > 1) {
                ds.setUsername(url[1]);
                ds.setPassword(url.length > 2 ? url[2] : "");
            }
            ds.setMaximumPoolSize(2);
            var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration").cleanDisabled(false);
            if (url[0].contains("currentSchema=")) {
                flyway.schemas(url[0].replaceAll(".*currentSchema=([a-z_]+).*", "$1"));
            }
            flyway.load().clean();
            flyway.load().migrate();
            NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(ds);
            ProofStore store = new ProofStore(jdbc, Clock.systemUTC());
            BoefjeMeta meta = new BoefjeMeta(UUID.randomUUID(), ENDED.minusSeconds(5), ENDED, new BoefjeMeta.Boefje("bench", "1"),
                    null, Map.of(), "bench", null, null);
            long s0 = System.nanoTime();
            List<IncomingRaw> raws = queue(jdbc, store, meta, hashes);
            long s1 = System.nanoTime();
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(ds));
            MerkleBatcher batcher = new MerkleBatcher(store, client, "SHA256", transactions, n, Clock.systemUTC());
            OUT.printf("%n## %s: MerkleBatcher.timestampQueued() over %d queued hashes%n%n", label, n);
            OUT.printf("Setup (not timed below): %d raw_file rows + %d queued hashes inserted in %s.%n%n", n, n, ms(s1 - s0));
            OUT.println("| run | hashes timestamped | TSA requests | time (claim + tree + proofs + TSA + insert batch + " + n + " leaf updates + commit) |");
            OUT.println("|---|---|---|---|");
            JdbcTemplate plain = jdbc.getJdbcTemplate();
            for (int run = 1; run <= 2; run++) {
                if (run > 1) {
                    plain.update("update raw_file_proof set batch_id = null, leaf_index = null, inclusion_proof = null");
                    plain.update("delete from proof_batch");
                }
                long t0 = System.nanoTime();
                int done = batcher.timestampQueued();
                long t1 = System.nanoTime();
                Long batches = plain.queryForObject("select count(*) from proof_batch", Long.class);
                OUT.printf("| %s | %d | %d | %s |%n", run == 1 ? "1 (cold)" : "2 (warm)", done, batches, ms(t1 - t0));
            }
            checkSample(store, raws, n);
            Long bytes = plain.queryForObject("select sum(length(inclusion_proof)) from raw_file_proof", Long.class);
            OUT.printf("%nStored inclusion proofs: %.1f MB for %d leaves (%.0f bytes per file).%n",
                    bytes / 1e6, n, (double) bytes / n);
            if (writeSample) {
                int index = n / 2 + 7;
                IncomingRaw raw = raws.get(index);
                StoredRaw stored = new StoredRaw(new RawDataMeta(raw.id(), meta, List.of(), raw.secureHash(), client.url().toString(), null),
                        "bench", "bench", null, 0, 0, "IDENTITY", KeyRecord.NONE);
                var exchange = new DefaultExchange(new DefaultCamelContext());
                exchange.getIn().setBody(stored);
                Map<String, Object> proof = new ProofQueries(store, 0).proof(exchange);
                Files.write(out.resolve("proof.json"), new ApiJson().mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(proof));
                Files.write(out.resolve("raw.bin"), content(index));
            }
        }
    }

    /** Every 1000th leaf (and the last) read back through ProofStore and folded to its batch's root. */
    private static void checkSample(ProofStore store, List<IncomingRaw> raws, int n) {
        List<Integer> sample = new ArrayList<>();
        for (int i = 0; i < n; i += 1000) {
            sample.add(i);
        }
        sample.add(n - 1);
        for (int i : sample) {
            ProofStore.FileProof proof = store.find(raws.get(i).id()).orElseThrow();
            ProofStore.Batch batch = proof.batch().orElseThrow();
            List<byte[]> path = new ArrayList<>();
            for (int p = 0; p < proof.inclusionProof().length; p += MerkleTree.HASH_SIZE) {
                path.add(java.util.Arrays.copyOfRange(proof.inclusionProof(), p, p + MerkleTree.HASH_SIZE));
            }
            byte[] root = MerkleTree.rootFromInclusionProof(MerkleTree.leafHash(proof.secureHash().getBytes(StandardCharsets.UTF_8)),
                    proof.leafIndex(), batch.treeSize(), path);
            if (!HexFormat.of().formatHex(root).equals(batch.rootHex())) {
                throw new IllegalStateException("leaf " + i + " does not fold to its root");
            }
        }
        int checked = sample.size();
        OUT.printf("%nChecked: %d stored proofs (every 1000th leaf and the last) fold to the batch root.%n", checked);
    }

    private static List<IncomingRaw> queue(NamedParameterJdbcTemplate jdbc, ProofStore store, BoefjeMeta meta, List<String> hashes) {
        JdbcTemplate plain = jdbc.getJdbcTemplate();
        plain.update("insert into boefje_meta (id, organization, boefje_id, arguments, ended_at) values (?, 'bench', 'bench', '{}', ?)",
                meta.id(), java.sql.Timestamp.from(ENDED));
        List<IncomingRaw> raws = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            IncomingRaw raw = new IncomingRaw(meta, "f" + i, new TreeSet<>(List.of("bench/" + i)), ContentSource.of(content(i)));
            raw.secureHash(hashes.get(i));
            raws.add(raw);
        }
        for (int from = 0; from < raws.size(); from += 5000) {
            List<IncomingRaw> chunk = raws.subList(from, Math.min(raws.size(), from + 5000));
            plain.batchUpdate("insert into raw_file (id, boefje_meta_id, organization, mime_set_digest, secure_hash, storage_key, "
                    + "size_bytes, stored_size_bytes, encryption, created_at) values (?, ?, 'bench', ?, ?, 'bench', 0, 0, 'IDENTITY', current_timestamp)",
                    chunk.stream().map(raw -> new Object[] {raw.id(), meta.id(), digest(raw.name()), raw.secureHash()}).toList());
            store.enqueue(chunk.stream().map(raw -> new ProofStore.QueuedHash(raw.id(), raw.secureHash())).toList());
        }
        return raws;
    }

    private static byte[] content(int i) {
        return ("raw file " + i + " of the Merkle batch benchmark").getBytes(StandardCharsets.UTF_8);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
