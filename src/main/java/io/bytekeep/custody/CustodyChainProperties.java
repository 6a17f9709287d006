package io.bytekeep.custody;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Custody cases and their signature chains ({@code bytekeep.custody.chain.*}, {@code bytekeep.custody.parties}). */
@Validated
@ConfigurationProperties("bytekeep.custody")
public record CustodyChainProperties(@Valid @NotNull Chain chain, List<@Valid Party> parties) {

    static final String PARTY_ID = "[a-z0-9][a-z0-9_.-]{0,63}";

    public CustodyChainProperties {
        parties = parties == null ? List.of() : List.copyOf(parties);
    }

    /**
     * Bytekeep's own place in every chain: the party id it signs link 0 under, its signing key (PKCS#8 PEM text or
     * a file path; generated into the data directory by the embedded default) and the algorithm of a generated key.
     */
    public record Chain(
            @NotNull @Pattern(regexp = PARTY_ID, message = "a party id is 1-64 of a-z 0-9 _ . - (starting with a letter or digit)") String partyId,
            String signingKeyPem,
            @NotNull @Pattern(regexp = "Ed25519|ECDSA_P256", message = "use Ed25519 or ECDSA_P256") String signingAlgorithm) {
    }

    /** A custody party (a station): who may receive envelopes and who may sign links, with PEM public keys (text or path). */
    public record Party(
            @NotNull @Pattern(regexp = PARTY_ID, message = "a party id is 1-64 of a-z 0-9 _ . - (starting with a letter or digit)") String id,
            String encryptionPublicKeyPem,
            String signingPublicKeyPem) {
    }
}
