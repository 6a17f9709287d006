package io.bytekeep.custody;

import java.security.KeyPair;
import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.chain.ChainVerifier;
import io.bytekeep.custody.envelope.EnvelopeSealer;
import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.platform.web.JsonBody;

/**
 * Custody cases of routes/custody-chain.camel.yaml: the party registry, Bytekeep's custody signing key, the chain
 * verifier and the steps the routes call; settings from {@code bytekeep.custody.chain.*} and
 * {@code bytekeep.custody.parties}.
 */
@Configuration(proxyBeanMethods = false)
public class CustodyConfiguration {

    @Bean
    KeyPair custodySigningKey(CustodyChainProperties properties, BytekeepProperties bytekeep,
                              @Value("${bytekeep.generate-missing-secrets:false}") boolean generate) {
        return CustodySigningKey.load(properties.chain(), generate, bytekeep.dataDir());
    }

    @Bean
    CustodyParties custodyParties(CustodyChainProperties properties, KeyPair custodySigningKey) {
        return new CustodyParties(properties.parties(), properties.chain().partyId(), custodySigningKey.getPublic());
    }

    @Bean
    ChainVerifier custodyChainVerifier(CustodyChainProperties properties) {
        return new ChainVerifier(properties.chain().partyId());
    }

    @Bean
    CustodyStore custodyStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ApiJson json, Clock clock) {
        return new CustodyStore(jdbc, transactions, json.mapper(), clock);
    }

    @Bean
    CustodyQueries custodyQueries(CustodyStore store, CustodyParties parties, ChainVerifier custodyChainVerifier) {
        return new CustodyQueries(store, parties, custodyChainVerifier);
    }

    @Bean
    CaseOpening custodyCaseOpening(JsonBody body, CustodyParties parties, CustodyStore store, TransactionTemplate transactions,
                                   CustodyQueries queries, CustodyChainProperties properties, KeyPair custodySigningKey,
                                   BytekeepProperties bytekeep, Clock clock) {
        return new CaseOpening(body, parties, envelopeUpload(bytekeep), store, transactions, queries,
                properties.chain().partyId(), custodySigningKey.getPrivate(), clock);
    }

    @Bean
    StepSubmission custodyStepSubmission(JsonBody body, CustodyQueries queries, CustodyStore store,
                                         TransactionTemplate transactions, CustodyParties parties,
                                         ChainVerifier custodyChainVerifier, BytekeepProperties bytekeep) {
        return new StepSubmission(body, queries, store, transactions, parties, custodyChainVerifier,
                envelopeUpload(bytekeep));
    }

    private static EnvelopeUpload envelopeUpload(BytekeepProperties bytekeep) {
        return new EnvelopeUpload(new EnvelopeSealer(), bytekeep.dataDir().resolve("spool").resolve("custody"),
                bytekeep.storage().rawBucket());
    }
}
