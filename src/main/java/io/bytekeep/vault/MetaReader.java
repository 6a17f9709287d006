package io.bytekeep.vault;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonBody;

/** Reads and checks the job metadata a caller posts, before anything is written. */
public class MetaReader {

    private static final Pattern ORGANIZATION = Pattern.compile("[-a-zA-Z0-9_]{1,32}");

    private final JsonBody body;
    private final RawStore store;

    public MetaReader(JsonBody body, RawStore store) {
        this.body = body;
        this.store = store;
    }

    public BoefjeMeta boefjeMeta(Exchange exchange) throws IOException {
        return checked(body.read(exchange, BoefjeMeta.class), Caller.of(exchange));
    }

    /** {@code meta} as it is stored (no arguments: empty ones), or a problem with what a caller may not store. */
    static BoefjeMeta checked(BoefjeMeta meta, Caller caller) {
        require(meta.id() != null, "id is required");
        requireTimes(meta.startedAt(), meta.endedAt());
        require(meta.boefje() != null && notBlank(meta.boefje().id()), "boefje.id is required");
        require(notBlank(meta.organization()), "organization is required");
        require(ORGANIZATION.matcher(meta.organization()).matches(),
                "organization must be 1-32 characters of a-z A-Z 0-9 - _");
        caller.requireVisible(meta.organization(), "Organization");
        return meta.arguments() == null
                ? new BoefjeMeta(meta.id(), meta.startedAt(), meta.endedAt(), meta.boefje(), meta.inputOoi(), Map.of(),
                        meta.organization(), meta.runnableHash(), meta.environment())
                : meta;
    }

    public NormalizerMeta normalizerMeta(Exchange exchange) throws IOException {
        return checked(body.read(exchange, NormalizerMeta.class), Caller.of(exchange), store);
    }

    /** {@code meta} if a caller may store it: its raw file exists and is visible to the caller; else a problem. */
    static NormalizerMeta checked(NormalizerMeta meta, Caller caller, RawStore store) {
        require(meta.id() != null, "id is required");
        requireTimes(meta.startedAt(), meta.endedAt());
        require(meta.normalizer() != null && notBlank(meta.normalizer().id()), "normalizer.id is required");
        require(meta.rawData() != null && meta.rawData().id() != null, "raw_data.id is required");
        // Bytes' foreign key refuses an unknown raw file with its integrity error (400); a file of an organisation
        // the caller cannot see is answered the same, so that its existence does not show
        String unknown = "Raw data " + meta.rawData().id() + " does not exist";
        StoredRaw raw = store.findRaw(meta.rawData().id()).orElseThrow(() -> Problem.bytesIntegrityError(unknown));
        if (!caller.canSee(raw.meta().boefjeMeta().organization())) {
            throw Problem.bytesIntegrityError(unknown);
        }
        return meta;
    }

    /** Bytes' Job: started_at and ended_at are required (bytes/bytes/models.py, AwareDatetime without a default). */
    private static void requireTimes(java.time.Instant startedAt, java.time.Instant endedAt) {
        require(startedAt != null, "started_at is required");
        require(endedAt != null, "ended_at is required");
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw Problem.unprocessable(detail);
        }
    }
}
