package io.bytekeep.client;

/** A failed client call, with the exit code the command line answers for it (docs/SHARING.md, "Exit codes"). */
public class ClientException extends Exception {

    public static final int VERIFICATION_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int NOT_FOUND = 3;
    public static final int SERVER = 4;

    private final int exitCode;

    public ClientException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ClientException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The exit code for an HTTP status of the API. */
    static int forStatus(int status) {
        if (status == 401 || status == 403 || status == 404) {
            return NOT_FOUND;
        }
        return status >= 400 && status < 500 ? BAD_INPUT : SERVER;
    }
}
