package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.bytekeep.atrest.DecryptionRefused;
import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientException;
import io.bytekeep.client.Progress;

/**
 * Moves one Bytes deployment into a running Bytekeep through its admin import API (routes/vault-import.camel.yaml):
 * boefje metas, then raw files, then normalizer metas, each in Bytes' order. Raw files that the server already has
 * are skipped after one status call per batch, so a rerun after a kill only moves what is missing; the others stream
 * from Bytes' storage through Bytes' middleware to the server, which stores a file only when its bytes hash to its
 * secure_hash. Files of one boefje meta go through one worker, in Bytes' order. What cannot be moved (a missing or
 * changed file, a conflict, an item the server rejects) is counted in the {@link ImportSummary} and the import goes
 * on; a failure of the server or the network stops it (rerun to resume).
 */
final class BytesImporter {

    /** Raw files per status call; metas per batch are the server's maximum. */
    static final int RAW_STATUS_BATCH = 500;
    static final int META_BATCH = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;
    private static final RawRowEnd END = new RawRowEnd();

    /** Marks the end of a worker's queue. */
    private static final class RawRowEnd {
    }

    /** The API with its token; a 401 renews the token when a password is known (tokens expire during long imports). */
    interface Api {
        BytekeepClient.Answer call(String path, String contentType, HttpRequest.BodyPublisher body, Duration timeout)
                throws ClientException;

        /** A new token after a 401; false when there is no way to get one. */
        boolean renew() throws ClientException;
    }

    private final BytesDatabase database;
    private final BytesStorage storage;
    private final BytesMiddleware middleware;
    private final Api api;
    private final int parallel;
    private final boolean publishEvents;
    private final Progress progress;
    private final ImportSummary summary;
    private final Set<UUID> failedBoefjeMetas = ConcurrentHashMap.newKeySet();
    private final Set<UUID> failedRaws = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ClientException> fatal = new AtomicReference<>();

    BytesImporter(BytesDatabase database, BytesStorage storage, BytesMiddleware middleware, Api api, int parallel,
                  boolean publishEvents, Progress progress) {
        this.database = database;
        this.storage = storage;
        this.middleware = middleware;
        this.api = api;
        this.parallel = parallel;
        this.publishEvents = publishEvents;
        this.progress = progress;
        this.summary = new ImportSummary(publishEvents);
    }

    ImportSummary run() throws Exception {
        boefjeMetas(database.count("boefje_meta"));
        raws(database.count("raw_file"));
        normalizerMetas(database.count("normalizer_meta"));
        return summary;
    }

    // ---- metas

    private void boefjeMetas(long total) throws Exception {
        summary.total(ImportSummary.BOEFJE_META, total);
        progress.start("boefje metas", total);
        List<ObjectNode> batch = new ArrayList<>();
        database.boefjeMetas(meta -> {
            batch.add(meta);
            if (batch.size() == META_BATCH) {
                sendMetas("/admin/import/boefje_meta", ImportSummary.BOEFJE_META, batch, failedBoefjeMetas);
            }
        });
        sendMetas("/admin/import/boefje_meta", ImportSummary.BOEFJE_META, batch, failedBoefjeMetas);
        progress.finish();
    }

    private void normalizerMetas(long total) throws Exception {
        summary.total(ImportSummary.NORMALIZER_META, total);
        progress.start("normalizer metas", total);
        List<ObjectNode> batch = new ArrayList<>();
        database.normalizerMetas(meta -> {
            UUID rawId = UUID.fromString(meta.path("raw_data").path("id").asText());
            if (failedRaws.contains(rawId)) {
                summary.problem(ImportSummary.NORMALIZER_META, id(meta), "skipped", "its raw file " + rawId + " was not moved");
                progress.advance(1);
                return;
            }
            batch.add(meta);
            if (batch.size() == META_BATCH) {
                sendMetas("/admin/import/normalizer_meta", ImportSummary.NORMALIZER_META, batch, Set.of());
            }
        });
        sendMetas("/admin/import/normalizer_meta", ImportSummary.NORMALIZER_META, batch, Set.of());
        progress.finish();
    }

    /** Sends a batch (again once after a 409: another import wrote one of its items meanwhile) and counts its results. */
    private void sendMetas(String path, String kind, List<ObjectNode> batch, Set<UUID> failed) throws ClientException {
        if (batch.isEmpty()) {
            return;
        }
        ArrayNode body = JSON.createArrayNode().addAll(batch);
        BytekeepClient.Answer answer = call(path, "application/json", () -> json(body), Duration.ofMinutes(5));
        if (answer.status() == 409) {
            answer = call(path, "application/json", () -> json(body), Duration.ofMinutes(5));
        }
        if (answer.status() != 200) {
            throw failure(path, answer);
        }
        for (JsonNode result : answer.body().path("results")) {
            UUID id = UUID.fromString(result.path("id").asText());
            String status = result.path("status").asText();
            switch (status) {
                case "created" -> summary.created(kind);
                case "present" -> summary.present(kind);
                default -> {
                    failed.add(id);
                    summary.problem(kind, id, status, result.path("detail").asText(null));
                }
            }
            progress.advance(1);
        }
        batch.clear();
    }

    // ---- raw files

    private void raws(long total) throws Exception {
        summary.total(ImportSummary.RAW_FILE, total);
        progress.start("raw files", total);
        List<BlockingQueue<Object>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(64);
            queues.add(queue);
            Thread worker = new Thread(() -> work(queue), "import-bytes-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            List<BytesDatabase.RawRow> batch = new ArrayList<>();
            database.raws(row -> {
                batch.add(row);
                if (batch.size() == RAW_STATUS_BATCH) {
                    dispatch(batch, queues);
                }
            });
            dispatch(batch, queues);
        } finally {
            for (BlockingQueue<Object> queue : queues) {
                hand(queue, END);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            progress.finish();
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    /** Asks the server which raw files of the batch it has, and hands the others to the worker of their boefje meta. */
    private void dispatch(List<BytesDatabase.RawRow> batch, List<BlockingQueue<Object>> queues) throws Exception {
        if (fatal.get() != null) {
            throw fatal.get();
        }
        List<BytesDatabase.RawRow> candidates = new ArrayList<>();
        for (BytesDatabase.RawRow row : batch) {
            if (failedBoefjeMetas.contains(row.boefjeMetaId())) {
                rawProblem(row, "skipped", "its boefje meta " + row.boefjeMetaId() + " was not moved");
            } else if (row.secureHash() == null) {
                rawProblem(row, "rejected", "Bytes recorded no secure_hash for it, so its bytes cannot be checked");
            } else {
                candidates.add(row);
            }
        }
        batch.clear();
        if (candidates.isEmpty()) {
            return;
        }
        ArrayNode body = JSON.createArrayNode();
        candidates.forEach(row -> body.add(record(row)));
        BytekeepClient.Answer answer = call("/admin/import/raw/status", "application/json", () -> json(body),
                Duration.ofMinutes(5));
        if (answer.status() != 200) {
            throw failure("/admin/import/raw/status", answer);
        }
        JsonNode results = answer.body().path("results");
        for (int i = 0; i < candidates.size(); i++) {
            BytesDatabase.RawRow row = candidates.get(i);
            JsonNode result = results.path(i);
            String status = result.path("status").asText();
            switch (status) {
                case "present" -> {
                    summary.present(ImportSummary.RAW_FILE);
                    progress.advance(1);
                }
                case "absent" -> hand(queues.get(Math.floorMod(row.boefjeMetaId().hashCode(), queues.size())), row);
                default -> rawProblem(row, status, result.path("detail").asText(null));
            }
        }
    }

    /** Puts an item in a worker's queue, unless the import is failing (then its workers may no longer take). */
    private void hand(BlockingQueue<Object> queue, Object item) throws InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (fatal.get() != null) {
                return;
            }
        }
    }

    private void work(BlockingQueue<Object> queue) {
        try {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item == END || item == null && fatal.get() != null) {
                    return;
                }
                if (item != null && fatal.get() == null) {
                    importRaw((BytesDatabase.RawRow) item);
                }
            }
        } catch (ClientException e) {
            fatal.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, new ClientException(ClientException.SERVER, "import worker failed: " + e, e));
        }
    }

    /** One raw file: its stored bytes, decoded, streamed to the server; retried on failures of the network or server. */
    private void importRaw(BytesDatabase.RawRow row) throws ClientException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            BytekeepClient.Answer answer;
            long size;
            try (BytesStorage.Stored stored = storage.open(row.organization(), row.id())) {
                if (stored == null) {
                    rawProblem(row, "missing", "no stored bytes at " + storage.location(row.organization(), row.id()));
                    return;
                }
                size = middleware.plainSize(stored.size());
                InputStream plain;
                try {
                    plain = middleware.decode(stored.bytes());
                } catch (DecryptionRefused e) {
                    rawProblem(row, "undecryptable", storage.location(row.organization(), row.id()) + ": " + e.getMessage());
                    return;
                }
                try (plain) {
                    HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> plain), size);
                    answer = api.call(uploadPath(row), "application/octet-stream", body,
                            Duration.ofMinutes(5).plusSeconds(size / (1024 * 1024)));
                }
            } catch (IOException | ClientException e) {
                if (attempt == ATTEMPTS) {
                    throw new ClientException(ClientException.SERVER, "raw file " + row.id() + " could not be moved after "
                            + ATTEMPTS + " attempts (rerun to resume): " + e.getMessage(), e);
                }
                Thread.sleep(500L * attempt * attempt);
                continue;
            }
            if (answer.status() == 401 && attempt < ATTEMPTS && api.renew()) {
                continue;
            }
            if (answer.status() >= 500 && attempt < ATTEMPTS) {
                Thread.sleep(500L * attempt * attempt);
                continue;
            }
            rawAnswer(row, size, answer);
            return;
        }
    }

    private void rawAnswer(BytesDatabase.RawRow row, long size, BytekeepClient.Answer answer) throws ClientException {
        int status = answer.status();
        if (status == 201) {
            summary.created(ImportSummary.RAW_FILE);
            summary.createdBytes(size);
            progress.advance(1);
        } else if (status == 200) {
            summary.present(ImportSummary.RAW_FILE);
            progress.advance(1);
        } else if (status == 409) {
            rawProblem(row, "conflict", answer.detail());
        } else if (status == 422 && answer.problemType().endsWith(":hash-mismatch")) {
            rawProblem(row, "hash_mismatch", answer.detail());
        } else if (status >= 400 && status < 500 && status != 401 && status != 403) {
            rawProblem(row, "rejected", status + ": " + answer.detail());
        } else {
            throw failure("/admin/import/raw", answer);
        }
    }

    private void rawProblem(BytesDatabase.RawRow row, String status, String detail) {
        failedRaws.add(row.id());
        summary.problem(ImportSummary.RAW_FILE, row.id(), status, detail);
        progress.advance(1);
    }

    private String uploadPath(BytesDatabase.RawRow row) {
        StringBuilder path = new StringBuilder("/admin/import/raw?id=").append(row.id())
                .append("&boefje_meta_id=").append(row.boefjeMetaId())
                .append("&secure_hash=").append(encode(row.secureHash()));
        row.mimeTypes().forEach(mimeType -> path.append("&mime_types=").append(encode(mimeType)));
        if (row.signingProviderUrl() != null) {
            path.append("&signing_provider_url=").append(encode(row.signingProviderUrl()));
        }
        if (row.hashRetrievalLink() != null) {
            path.append("&hash_retrieval_link=").append(encode(row.hashRetrievalLink()));
        }
        if (publishEvents) {
            path.append("&publish_event=true");
        }
        return path.toString();
    }

    private static ObjectNode record(BytesDatabase.RawRow row) {
        ObjectNode record = JSON.createObjectNode();
        record.put("id", row.id().toString());
        record.put("boefje_meta_id", row.boefjeMetaId().toString());
        ArrayNode mimeTypes = record.putArray("mime_types");
        row.mimeTypes().forEach(mimeTypes::add);
        record.put("secure_hash", row.secureHash());
        record.put("signing_provider_url", row.signingProviderUrl());
        record.put("hash_retrieval_link", row.hashRetrievalLink());
        return record;
    }

    // ---- calls

    private interface Body {
        HttpRequest.BodyPublisher publisher();
    }

    /** A call with a body that can be sent again: a 401 renews the token once, a 5xx or a network failure retries. */
    private BytekeepClient.Answer call(String path, String contentType, Body body, Duration timeout)
            throws ClientException {
        for (int attempt = 1; ; attempt++) {
            BytekeepClient.Answer answer;
            try {
                answer = api.call(path, contentType, body.publisher(), timeout);
            } catch (ClientException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
                continue;
            }
            if (answer.status() == 401 && attempt < ATTEMPTS && api.renew()) {
                continue;
            }
            if (answer.status() >= 500 && attempt < ATTEMPTS) {
                pause(attempt);
                continue;
            }
            return answer;
        }
    }

    private static void pause(int attempt) throws ClientException {
        try {
            Thread.sleep(500L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.SERVER, "interrupted", e);
        }
    }

    private static ClientException failure(String path, BytekeepClient.Answer answer) {
        int code = answer.status() == 401 || answer.status() == 403 || answer.status() == 404 ? ClientException.NOT_FOUND
                : answer.status() >= 400 && answer.status() < 500 ? ClientException.BAD_INPUT : ClientException.SERVER;
        String hint = answer.status() == 401 ? " (the session expired: bytekeep login again, or set BYTEKEEP_PASSWORD so "
                + "that the import renews its token)" : answer.status() == 403 ? " (the import needs a user with the admin role)" : "";
        return new ClientException(code, "POST " + path.replaceFirst("\\?.*", "") + " answered " + answer.status()
                + (answer.detail().isEmpty() ? "" : ": " + answer.detail()) + hint + "; rerun to resume");
    }

    private static UUID id(ObjectNode meta) {
        return UUID.fromString(meta.path("id").asText());
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
