package io.bytekeep.custody;

import java.io.InputStream;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.custody.chain.InputHash;
import io.bytekeep.custody.chain.LinkSignatures;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.vault.OrphanGuard;
import io.bytekeep.vault.PythonFloatText;
import io.bytekeep.vault.StoredRaw;

/**
 * The steps of {@code POST /custody/cases}: read the request, then (after the Vault has fetched and verified the raw
 * bytes) bind the input hash to the caller and session, sign link 0 and seal the bytes for the recipients, and
 * finally record the case.
 */
public class CaseOpening {

    public record OpenCaseRequest(UUID rawId, String sessionId, List<String> recipients) {
    }

    static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final JsonBody body;
    private final CustodyParties parties;
    private final EnvelopeUpload upload;
    private final CustodyStore store;
    private final TransactionTemplate transactions;
    private final CustodyQueries queries;
    private final String custodianId;
    private final PrivateKey signingKey;
    private final Clock clock;

    CaseOpening(JsonBody body, CustodyParties parties, EnvelopeUpload upload, CustodyStore store,
                TransactionTemplate transactions, CustodyQueries queries, String custodianId, PrivateKey signingKey,
                Clock clock) {
        this.body = body;
        this.parties = parties;
        this.upload = upload;
        this.store = store;
        this.transactions = transactions;
        this.queries = queries;
        this.custodianId = custodianId;
        this.signingKey = signingKey;
        this.clock = clock;
    }

    /** Validates the request and names the raw file for {@code vaultQueries.storedRaw} (header {@code id}). */
    public void request(Exchange exchange) throws Exception {
        OpenCaseRequest request = body.read(exchange, OpenCaseRequest.class);
        if (request.rawId() == null) {
            throw Problem.unprocessable("raw_id is required");
        }
        if (request.sessionId() == null || !SESSION_ID.matcher(request.sessionId()).matches()) {
            throw Problem.unprocessable("session_id is required: 1-128 of A-Z a-z 0-9 . _ : -");
        }
        if (request.recipients() == null || request.recipients().isEmpty()) {
            throw Problem.unprocessable("recipients: name at least one custody party");
        }
        if (new LinkedHashSet<>(request.recipients()).size() != request.recipients().size()) {
            throw Problem.unprocessable("recipients: each party once");
        }
        request.recipients().forEach(parties::recipient);
        exchange.setProperty(ExchangeProperties.CUSTODY_REQUEST, request);
        exchange.getIn().setHeader("id", request.rawId().toString());
    }

    /** After raw-read: the body is the raw file's verified plaintext. */
    public void seal(Exchange exchange) throws Exception {
        OpenCaseRequest request = exchange.getProperty(ExchangeProperties.CUSTODY_REQUEST, OpenCaseRequest.class);
        StoredRaw raw = exchange.getProperty(ExchangeProperties.STORED_RAW, StoredRaw.class);
        Caller caller = Caller.of(exchange);
        UUID caseId = UUID.randomUUID();
        String secureHash = raw.meta().secureHash();
        String inputHash = InputHash.of(secureHash, caller.username(), request.sessionId());
        CustodyLink ingest = LinkSignatures.sign(caseId, new CustodyLink(0, custodianId, CustodyLink.INGEST, "", inputHash,
                CustodyLink.metadata(Map.of("raw_id", raw.meta().id().toString(), "secure_hash", secureHash,
                        // what the Vault appends to the bytes before hashing: recipients recompute secure_hash with it
                        "secure_hash_suffix", PythonFloatText.ofTimestamp(raw.meta().boefjeMeta().endedAt()),
                        "user_id", caller.username(), "session_id", request.sessionId())), null), signingKey);
        String organization = raw.meta().boefjeMeta().organization();
        CustodyCase opened = new CustodyCase(caseId, raw.meta().id(), organization, caller.username(), request.sessionId(),
                inputHash, List.copyOf(request.recipients()), EnvelopeUpload.key(organization, caseId, "input.cms"), 1,
                false, clock.instant());
        try (InputStream plain = exchange.getIn().getMandatoryBody(InputStream.class)) {
            upload.stage(exchange, upload.seal(request.recipients().stream().map(parties::recipient).toList(), plain),
                    opened.envelopeKey());
        }
        exchange.setProperty(ExchangeProperties.CUSTODY_CASE, opened);
        exchange.setProperty(ExchangeProperties.CUSTODY_INGEST, ingest);
    }

    /** After the envelope is stored: the case and link 0 in one transaction; answers the chain (201). */
    public void record(Exchange exchange) {
        CustodyCase opened = exchange.getProperty(ExchangeProperties.CUSTODY_CASE, CustodyCase.class);
        // the store's transaction joins the guard's, which tells a failed commit from failed work
        OrphanGuard.record(exchange, transactions,
                () -> store.open(opened, exchange.getProperty(ExchangeProperties.CUSTODY_INGEST, CustodyLink.class)));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setBody(queries.view(opened));
    }
}
