package io.bytekeep.vault;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.proof.HashRepository;
import io.bytekeep.vault.IncomingRaw;

/** Hands the proof hash to the configured hash repository and keeps its retrieval link with the raw file. */
public final class HashRecorder implements Processor {

    private final HashRepository repository;

    public HashRecorder(HashRepository repository) {
        this.repository = repository;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        raw.hashRetrievalLink(repository.store(raw.secureHash()));
        raw.signingProviderUrl(repository.signingProviderUrl().orElse(null));
    }
}
