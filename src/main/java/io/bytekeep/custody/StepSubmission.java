package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.chain.ChainVerdict;
import io.bytekeep.custody.chain.ChainVerifier;
import io.bytekeep.custody.chain.CustodyChain;
import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.custody.chain.SignedBytes;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.platform.web.QueryParams;
import io.bytekeep.vault.OrphanGuard;

/**
 * The steps of {@code POST /custody/cases/{id}/steps}, PHT's pre- and post-run protocol. Pre: the chain so far
 * verifies, and the station's signature over the new link verifies with its registered key; a given result file
 * hashes to the signed result hash. Post: the result is sealed for the case's recipients and the link appended.
 */
public class StepSubmission {

    public record StepRequest(String stationId, String kind, String resultHash, Map<String, String> metadata,
                              String signature, String resultFile) {
    }

    static final Pattern RESULT_HASH = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    private static final int MAX_METADATA = 32;
    private static final int MAX_VALUE = 1024;

    private final JsonBody body;
    private final CustodyQueries queries;
    private final CustodyStore store;
    private final TransactionTemplate transactions;
    private final CustodyParties parties;
    private final ChainVerifier verifier;
    private final EnvelopeUpload upload;

    StepSubmission(JsonBody body, CustodyQueries queries, CustodyStore store, TransactionTemplate transactions,
                   CustodyParties parties, ChainVerifier verifier, EnvelopeUpload upload) {
        this.body = body;
        this.queries = queries;
        this.store = store;
        this.transactions = transactions;
        this.parties = parties;
        this.verifier = verifier;
        this.upload = upload;
    }

    /**
     * Pre-run checks. A result file, in the JSON ({@code result_file}, base64) or as a streamed
     * {@code application/octet-stream} body (the other fields then as query parameters), is hashed while it is sealed
     * and must match {@code result_hash}; its envelope's upload is then prepared (property bytekeepCustodyEnvelope).
     */
    public void check(Exchange exchange) throws Exception {
        CustodyCase custodyCase = queries.custodyCase(exchange);
        boolean streamed = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class)
                .toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
        StepRequest request = streamed ? fromQuery(exchange) : body.read(exchange, StepRequest.class);
        if (custodyCase.closed()) {
            throw new Problem(409, "Conflict", "Case " + custodyCase.id() + " was closed by its export; nothing follows it");
        }
        List<CustodyLink> links = new ArrayList<>(store.links(custodyCase.id()));
        CustodyLink link = link(request, links.get(links.size() - 1), custodyCase.linkCount());
        links.add(link);
        ChainVerdict verdict = verifier.verify(new CustodyChain(custodyCase.id(), links.size(), links), parties.signingKeys());
        if (!verdict.valid()) {
            ChainVerdict.BrokenLink broken = verdict.firstBrokenLink();
            if (broken.index() < link.index()) {
                throw new Problem(409, "Conflict", "The chain of case " + custodyCase.id() + " is broken at link "
                        + broken.index() + " (" + broken.reason() + "); no step can be appended");
            }
            throw Problem.unprocessable("The step is refused: " + broken.reason());
        }
        exchange.setProperty(ExchangeProperties.CUSTODY_CASE, custodyCase);
        exchange.setProperty(ExchangeProperties.CUSTODY_LINK, link);
        if (streamed) {
            sealResult(exchange, custodyCase, link, exchange.getIn().getMandatoryBody(InputStream.class));
        } else if (request.resultFile() != null) {
            sealResult(exchange, custodyCase, link, new ByteArrayInputStream(decode(request.resultFile(), "result_file")));
        }
    }

    /** Post-run: appends the link (409 if another step came first); answers it (201). */
    public void record(Exchange exchange) {
        CustodyCase custodyCase = exchange.getProperty(ExchangeProperties.CUSTODY_CASE, CustodyCase.class);
        CustodyLink link = exchange.getProperty(ExchangeProperties.CUSTODY_LINK, CustodyLink.class);
        // the store's transaction joins the guard's, which tells a failed commit from failed work
        OrphanGuard.record(exchange, transactions,
                () -> store.append(custodyCase.id(), link, exchange.getProperty(ExchangeProperties.CUSTODY_ENVELOPE, String.class)));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setBody(link);
    }

    private void sealResult(Exchange exchange, CustodyCase custodyCase, CustodyLink link, InputStream result)
            throws Exception {
        String algorithm = link.resultHash().substring(0, link.resultHash().indexOf(':'));
        MessageDigest digest = MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        Path sealed;
        try (InputStream hashed = new DigestInputStream(result, digest)) {
            sealed = upload.seal(custodyCase.recipients().stream().map(parties::recipient).toList(), hashed);
        }
        String actual = algorithm + ":" + HexFormat.of().formatHex(digest.digest());
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                link.resultHash().getBytes(StandardCharsets.US_ASCII))) {
            Files.deleteIfExists(sealed);
            throw Problem.unprocessable("the result file hashes to " + actual + ", not to the signed result_hash");
        }
        String key = EnvelopeUpload.key(custodyCase.organization(), custodyCase.id(), "link-" + link.index() + ".cms");
        upload.stage(exchange, sealed, key);
        exchange.setProperty(ExchangeProperties.CUSTODY_ENVELOPE, key);
    }

    /** The step of a streamed result file: query parameters, metadata as repeated {@code metadata=key=value}. */
    private static StepRequest fromQuery(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String entry : params.list("metadata")) {
            int equals = entry.indexOf('=');
            if (equals < 1 || metadata.put(entry.substring(0, equals), entry.substring(equals + 1)) != null) {
                throw Problem.unprocessable("metadata parameters are key=value, each key once");
            }
        }
        return new StepRequest(params.string("station_id"), params.string("kind"), params.string("result_hash"),
                metadata, params.string("signature"), null);
    }

    private CustodyLink link(StepRequest request, CustodyLink previous, int index) {
        if (request.stationId() == null || !parties.signs(request.stationId())) {
            throw Problem.unprocessable("station_id: '" + request.stationId() + "' is no custody party with a signing key");
        }
        String kind = request.kind() == null ? CustodyLink.STEP : request.kind();
        if (!CustodyLink.STEP.equals(kind) && !CustodyLink.EXPORT.equals(kind)) {
            throw Problem.unprocessable("kind is 'step' (default) or 'export'");
        }
        if (request.resultHash() == null || !RESULT_HASH.matcher(request.resultHash()).matches()) {
            throw Problem.unprocessable("result_hash is sha256:<64 hex> or sha512:<128 hex> (lower case)");
        }
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        if (metadata.size() > MAX_METADATA) {
            throw Problem.unprocessable("metadata: at most " + MAX_METADATA + " entries");
        }
        metadata.forEach((key, value) -> {
            if (!SignedBytes.METADATA_KEY.matcher(key).matches() || value == null || value.length() > MAX_VALUE) {
                throw Problem.unprocessable("metadata: keys are " + SignedBytes.METADATA_KEY + ", values 0-" + MAX_VALUE
                        + " characters (" + key + ")");
            }
        });
        if (request.signature() == null) {
            throw Problem.unprocessable("signature is required (base64)");
        }
        decode(request.signature(), "signature");
        return new CustodyLink(index, request.stationId(), kind, previous.signature(), request.resultHash(),
                CustodyLink.metadata(metadata), request.signature());
    }

    private static byte[] decode(String base64, String field) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable(field + " is not base64");
        }
    }
}
