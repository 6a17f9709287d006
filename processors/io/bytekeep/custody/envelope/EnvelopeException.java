package io.bytekeep.custody.envelope;

/** An envelope that cannot be opened: not for this key, the wrong key, or tampered with. No plaintext goes with it. */
public final class EnvelopeException extends Exception {

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
