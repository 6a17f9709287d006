package io.bytekeep.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bytekeep.custody.chain.LinkSignatures;
import io.bytekeep.custody.envelope.EnvelopeRecipient;
import io.bytekeep.platform.Problem;

/** The registry of custody parties: whose keys envelopes are sealed for, and whose signatures links carry. */
public final class CustodyParties {

    private final Map<String, EnvelopeRecipient> recipients = new LinkedHashMap<>();
    private final Map<String, PublicKey> signingKeys = new LinkedHashMap<>();

    /** Reads every party's PEM keys; a key that does not read or has the wrong type stops the start-up. */
    public CustodyParties(List<CustodyChainProperties.Party> parties, String custodianId, PublicKey custodianKey) {
        signingKeys.put(custodianId, custodianKey);
        for (CustodyChainProperties.Party party : parties) {
            if (signingKeys.containsKey(party.id()) || recipients.containsKey(party.id())) {
                throw new IllegalArgumentException("bytekeep.custody.parties: party id '" + party.id()
                        + "' is used twice (or is Bytekeep's own party id)");
            }
            try {
                if (blank(party.encryptionPublicKeyPem()) && blank(party.signingPublicKeyPem())) {
                    throw new IllegalArgumentException("it has neither an encryption nor a signing public key");
                }
                if (!blank(party.encryptionPublicKeyPem())) {
                    recipients.put(party.id(), new EnvelopeRecipient(party.id(),
                            CustodyKeys.publicKey(pem(party.encryptionPublicKeyPem()))));
                }
                if (!blank(party.signingPublicKeyPem())) {
                    PublicKey key = CustodyKeys.publicKey(pem(party.signingPublicKeyPem()));
                    LinkSignatures.algorithm(key);
                    signingKeys.put(party.id(), key);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bytekeep.custody.parties: party '" + party.id() + "': " + e.getMessage(), e);
            }
        }
    }

    public EnvelopeRecipient recipient(String partyId) {
        EnvelopeRecipient recipient = recipients.get(partyId);
        if (recipient == null) {
            throw Problem.unprocessable("'" + partyId + "' is no custody party with an encryption key");
        }
        return recipient;
    }

    public boolean signs(String partyId) {
        return signingKeys.containsKey(partyId);
    }

    public Map<String, PublicKey> signingKeys() {
        return Map.copyOf(signingKeys);
    }

    /** Every signing public key as PEM, by party id: the key file {@code bytekeep custody verify --keys} reads. */
    public Map<String, String> signingKeyPems() {
        Map<String, String> pems = new java.util.TreeMap<>();
        signingKeys.forEach((party, key) -> pems.put(party, CustodyKeys.toPem(key)));
        return pems;
    }

    /** PEM text as it is, or the contents of the file it names. */
    static String pem(String textOrPath) {
        if (textOrPath.contains("-----BEGIN")) {
            return textOrPath;
        }
        try {
            return Files.readString(Path.of(textOrPath.trim()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the PEM file " + textOrPath.trim() + " (" + e + ")", e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
