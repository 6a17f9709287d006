package io.bytekeep.custody.envelope;

import java.security.PublicKey;

import io.bytekeep.custody.CustodyKeys;

/**
 * A party an envelope is sealed for: RSA keys get a KeyTransRecipientInfo (RSA-OAEP, SHA-256), X25519 keys a
 * KeyAgreeRecipientInfo (RFC 8418). Both name the recipient by the subject key identifier of its public key
 * ({@link SubjectKeyIds}), so a certificate made for the key matches it.
 */
public record EnvelopeRecipient(String partyId, PublicKey key) {

    public EnvelopeRecipient {
        String type = CustodyKeys.type(key);
        if (!type.equals("RSA") && !type.equals("X25519")) {
            throw new IllegalArgumentException("party " + partyId + ": encryption keys are RSA or X25519, not " + type);
        }
    }

    public boolean agreesKeys() {
        return CustodyKeys.type(key).equals("X25519");
    }
}
