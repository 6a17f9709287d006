package io.bytekeep.custody;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

import io.bytekeep.custody.chain.ChainVerdict;
import io.bytekeep.custody.chain.ChainVerifier;
import io.bytekeep.custody.chain.CustodyChain;
import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.QueryParams;

/** The read side of custody cases, limited to the caller's organisations: the chain, its verification, envelopes. */
public class CustodyQueries {

    /** The chain as {@code GET /custody/cases/{id}/chain} answers it; the CLI reads the same JSON. */
    public record CaseChain(UUID caseId, UUID rawId, String organization, String userId, String sessionId,
                            String inputHash, List<String> recipients, boolean closed, int linkCount,
                            List<CustodyLink> links) {
    }

    private final CustodyStore store;
    private final CustodyParties parties;
    private final ChainVerifier verifier;

    CustodyQueries(CustodyStore store, CustodyParties parties, ChainVerifier verifier) {
        this.store = store;
        this.parties = parties;
        this.verifier = verifier;
    }

    public Map<String, String> signingKeys(Exchange exchange) {
        return parties.signingKeyPems();
    }

    public CaseChain chain(Exchange exchange) {
        return view(custodyCase(exchange));
    }

    public ChainVerdict verify(Exchange exchange) {
        CustodyCase custodyCase = custodyCase(exchange);
        return verifier.verify(new CustodyChain(custodyCase.id(), custodyCase.linkCount(), store.links(custodyCase.id())),
                parties.signingKeys());
    }

    /** Names the envelope object for the next step (aws2-s3 getObject): the input's, or link {@code ?link=n}'s result. */
    public void envelope(Exchange exchange) {
        CustodyCase custodyCase = custodyCase(exchange);
        QueryParams params = new QueryParams(exchange.getIn());
        String key = params.string("link") == null ? custodyCase.envelopeKey()
                : store.envelopeKey(custodyCase.id(), params.integer("link", 0, 0, Integer.MAX_VALUE))
                .orElseThrow(() -> Problem.notFound("Link " + params.string("link") + " of case " + custodyCase.id()
                        + " has no result envelope"));
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
    }

    CustodyCase custodyCase(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        CustodyCase custodyCase = store.find(id).orElseThrow(() -> Problem.notFound("Custody case " + id + " not found"));
        Caller.of(exchange).requireVisible(custodyCase.organization(),
                "Custody case " + id);
        return custodyCase;
    }

    CaseChain view(CustodyCase c) {
        return new CaseChain(c.id(), c.rawId(), c.organization(), c.userId(), c.sessionId(), c.inputHash(), c.recipients(),
                c.closed(), c.linkCount(), store.links(c.id()));
    }
}
