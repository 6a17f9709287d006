package io.bytekeep.cli;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientConfig;
import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bytekeep import-bytes}: moves a Bytes deployment (its PostgreSQL, its file or S3 repository, its middleware)
 * into the Bytekeep server of the session ({@code bytekeep login} as a user with the admin role). Safe to rerun: what
 * was moved before is skipped. Exit 0 when everything was moved (or was there), 1 when something was not (listed
 * in the summary), 2 bad settings or an unreadable Bytes database, 3 not allowed, 4 server or network (rerun resumes).
 */
@Command(name = "import-bytes", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Moves an OpenKAT Bytes deployment into Bytekeep: boefje metas, raw files (checked against their "
                + "secure_hash), normalizer metas, with their ids and proof fields. Reads Bytes' settings like Bytes does: "
                + "the options below, else the --bytes-env file, else the environment (BYTES_DB_URI, BYTES_DATA_DIR, "
                + "S3_BUCKET_PREFIX, S3_BUCKET, BUCKET_PER_ORG, BYTES_ENCRYPTION_MIDDLEWARE, BYTES_PRIVATE_KEY_B64, "
                + "BYTES_PUBLIC_KEY_B64, AWS_*). Needs a session of a user with the admin role (bytekeep login); with "
                + "BYTEKEEP_PASSWORD set it renews its token when it expires."})
final class ImportBytesCommand extends ClientCommand {

    @Option(names = "--bytes-env", paramLabel = "FILE", description = "Bytes' env file (KEY=VALUE lines), e.g. the one its container ran with.")
    Path bytesEnv;

    @Option(names = "--db-uri", paramLabel = "URI", description = "Bytes' database, postgresql://user:password@host:port/db (BYTES_DB_URI).")
    String dbUri;

    @Option(names = "--db-schema", paramLabel = "NAME", description = "The schema of Bytes' tables (default: public).")
    String dbSchema;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Bytes' file repository (BYTES_DATA_DIR, default /data).")
    String dataDir;

    @Option(names = "--s3-bucket-prefix", paramLabel = "PREFIX", description = "Bytes' S3 repository, a bucket per organisation (S3_BUCKET_PREFIX; Bytes' default OpenKAT-).")
    String s3BucketPrefix;

    @Option(names = "--s3-bucket", paramLabel = "NAME", description = "Bytes' S3 repository, one bucket (S3_BUCKET; Bytes' default OpenKAT).")
    String s3Bucket;

    @Option(names = "--bucket-per-org", paramLabel = "true|false", description = "BUCKET_PER_ORG (default true).")
    String bucketPerOrg;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "The S3 endpoint (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; default AWS).")
    String s3Endpoint;

    @Option(names = "--encryption-middleware", paramLabel = "NAME", description = "IDENTITY or NACL_SEALBOX (BYTES_ENCRYPTION_MIDDLEWARE, default IDENTITY); "
            + "NACL_SEALBOX reads BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64 from the env file or the environment only.")
    String encryptionMiddleware;

    @Option(names = "--publish-events", description = "Publish a RawFileReceived event for every raw file created (default: none).")
    boolean publishEvents;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Raw files in flight (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where NACL_SEALBOX files wait (encrypted) while their MAC is checked (default: the temp directory).")
    Path workDir;

    @Override
    Map<String, Object> run() throws ClientException {
        long started = System.nanoTime();
        BytesSettings settings = BytesSettings.resolve(options(), bytesEnv, System.getenv());
        BytesMiddleware middleware = BytesMiddleware.of(settings,
                workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir")));
        SessionApi api = new SessionApi(config().session());
        ImportSummary summary;
        try (BytesDatabase database = new BytesDatabase(settings.dbUri(), settings.schema());
             BytesStorage storage = BytesStorage.of(settings)) {
            summary = new BytesImporter(database, storage, middleware, api, checkedParallel(parallel), publishEvents,
                    progress("items")).run();
        } catch (ClientException e) {
            throw e;
        } catch (SQLException e) {
            throw new ClientException(ClientException.BAD_INPUT, "Bytes' database (" + settings.dbUri() + ", schema "
                    + settings.schema() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.SERVER, "interrupted; rerun to resume", e);
        } catch (Exception e) {
            throw new ClientException(ClientException.SERVER, "import failed (rerun to resume): " + e, e);
        }
        Map<String, Object> result = summary.toMap((System.nanoTime() - started) / 1e9);
        sayResult(summary, result);
        return result;
    }

    @Override
    int exitCode(Map<String, Object> result) {
        return ((Map<?, ?>) result.get("problem_counts")).isEmpty() ? 0 : ClientException.VERIFICATION_FAILED;
    }

    private Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("BYTES_DB_URI", dbUri);
        options.put("BYTES_DB_SCHEMA", dbSchema);
        options.put("BYTES_DATA_DIR", dataDir);
        options.put("S3_BUCKET_PREFIX", s3BucketPrefix);
        options.put("S3_BUCKET", s3Bucket);
        options.put("BUCKET_PER_ORG", bucketPerOrg);
        options.put("AWS_ENDPOINT_URL_S3", s3Endpoint);
        options.put("BYTES_ENCRYPTION_MIDDLEWARE", encryptionMiddleware);
        return options;
    }

    private void sayResult(ImportSummary summary, Map<String, Object> result) {
        for (String[] kind : new String[][] {{ImportSummary.BOEFJE_META, "boefje metas"}, {ImportSummary.RAW_FILE, "raw files"},
                {ImportSummary.NORMALIZER_META, "normalizer metas"}}) {
            Map<?, ?> tally = (Map<?, ?>) result.get(kind[0]);
            say(String.format("%-17s %d in Bytes, %d created, %d present, %d not moved", kind[1] + ":", tally.get("total"),
                    tally.get("created"), tally.get("present"), tally.get("not_moved")));
        }
        say("moved " + TerminalProgress.human((Long) result.get("bytes_created")) + " in " + result.get("seconds") + " s"
                + (publishEvents ? ", RawFileReceived events published" : ", no events published"));
        Map<?, ?> counts = (Map<?, ?>) result.get("problem_counts");
        if (!counts.isEmpty()) {
            say("not moved: " + counts);
            summary.problems().stream().limit(50).forEach(problem -> say("  " + problem.kind() + " " + problem.id() + " "
                    + problem.status() + (problem.detail() == null ? "" : ": " + problem.detail())));
            long listed = Math.min(50, summary.problems().size());
            long all = counts.values().stream().mapToLong(n -> (Long) n).sum();
            if (all > listed) {
                say("  ... and " + (all - listed) + " more (--json lists up to " + ImportSummary.MAX_LISTED_PROBLEMS + ")");
            }
        }
    }

    /** The session's API; a 401 logs in again with BYTEKEEP_PASSWORD when it is set. */
    private static final class SessionApi implements BytesImporter.Api {

        private final HttpClient http = BytekeepClient.newHttpClient();
        private final ClientConfig.Session session;
        private volatile BytekeepClient client;

        SessionApi(ClientConfig.Session session) {
            this.session = session;
            this.client = new BytekeepClient(http, session.server(), session.token());
        }

        @Override
        public BytekeepClient.Answer call(String path, String contentType, HttpRequest.BodyPublisher body, Duration timeout)
                throws ClientException {
            return client.call(path, "POST", contentType, body, timeout);
        }

        @Override
        public synchronized boolean renew() throws ClientException {
            String password = System.getenv("BYTEKEEP_PASSWORD");
            if (password == null || password.isEmpty()) {
                return false;
            }
            client = new BytekeepClient(http, session.server(), BytekeepClient.login(http, session.server(),
                    session.username(), password));
            return true;
        }
    }
}
