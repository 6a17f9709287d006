package io.bytekeep.custody.chain;

import java.util.List;
import java.util.UUID;

/**
 * The links of one custody case, in order, as {@code GET /custody/cases/{id}/chain} answers them and the CLI reads
 * them. {@code linkCount} is how many links the case records (null when unknown), so that links cut off at the end
 * are noticed too.
 */
public record CustodyChain(UUID caseId, Integer linkCount, List<CustodyLink> links) {

    public CustodyChain {
        links = links == null ? List.of() : List.copyOf(links);
    }
}
