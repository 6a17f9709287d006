package io.bytekeep.proof;

/** A timestamp authority did not answer, or its answer did not pass verification: nothing may be stored from it. */
public final class TimestampException extends RuntimeException {

    public TimestampException(String message) {
        super(message);
    }

    public TimestampException(String message, Throwable cause) {
        super(message, cause);
    }
}
