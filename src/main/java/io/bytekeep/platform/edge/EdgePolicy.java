package io.bytekeep.platform.edge;

import java.util.Locale;
import java.util.Set;

import io.bytekeep.platform.web.FormBody;

/**
 * Who may call what, with how large a body, in which lane: the one declaration for every route, including route files
 * added or edited while the service runs. Deny by default: a path not allow-listed here needs a valid bearer token,
 * and everything under {@code /admin/} (and the distribution trigger) the admin role as well, as do the web console
 * (Hawtio) and the JMX bridge it reads (Jolokia), which a browser may also reach with the console's session cookie.
 */
public final class EdgePolicy {

    public enum Access { PUBLIC, TOKEN, ADMIN }

    /**
     * What the edge enforces for one request before the routes see it. {@code console}: the token may also come in the
     * web console's cookie ({@link ConsoleSession}), for the pages a browser opens.
     */
    public record Rule(Access access, Lane lane, long bodyBudget, boolean console) {

        Rule(Access access, Lane lane, long bodyBudget) {
            this(access, lane, bodyBudget, false);
        }
    }

    /** A login form is a user name and a password. */
    public static final long LOGIN_FORM_BYTES = 16 * 1024;

    /**
     * The web console's requests to Jolokia, for admins only: Hawtio asks which operations of every MBean it may
     * call in one request, about 1 MB with Bytekeep's own routes, growing with each route file.
     */
    static final long CONSOLE_REQUEST_BYTES = 16 * 1024 * 1024;

    static final String SUBMISSION_PATH = "/version/v1/diagnosis-keys";
    private static final Set<String> ADMIN_PATHS = Set.of("/distribution/runs");

    private final long maxJsonBytes;
    private final long maxFileJsonBytes;
    private final long maxStreamBytes;
    private final long maxSubmissionBytes;

    /**
     * @param maxJsonBytes       JSON metadata and anything else not named below
     * @param maxFileJsonBytes   JSON that carries files as base64 (raw uploads, custody steps, imports, TUF checks)
     * @param maxStreamBytes     the same endpoints' application/octet-stream bodies (streamed, spooled to disk)
     * @param maxSubmissionBytes a key submission
     */
    public EdgePolicy(long maxJsonBytes, long maxFileJsonBytes, long maxStreamBytes, long maxSubmissionBytes) {
        this.maxJsonBytes = maxJsonBytes;
        this.maxFileJsonBytes = maxFileJsonBytes;
        this.maxStreamBytes = maxStreamBytes;
        this.maxSubmissionBytes = maxSubmissionBytes;
    }

    /** {@code path} is the decoded, normalised path within the application (as the servlet container matched it). */
    public Rule classify(String method, String path, String contentType) {
        if (path.equals("/health")) {
            return new Rule(Access.PUBLIC, Lane.HEALTH, 0);
        }
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            return new Rule(Access.PUBLIC, Lane.HEALTH, 0);
        }
        if (path.equals("/token")) {
            return new Rule(Access.PUBLIC, Lane.LOGIN, LOGIN_FORM_BYTES);
        }
        if (ConsoleSession.LOGIN_PATHS.contains(path)) {
            return new Rule(Access.PUBLIC, Lane.LOGIN, LOGIN_FORM_BYTES);
        }
        if (isConsole(path)) {
            return new Rule(Access.ADMIN, Lane.API, CONSOLE_REQUEST_BYTES, true);
        }
        if (path.equals(SUBMISSION_PATH)) {
            // its own credential (cwa-authorization), checked by its route on a body of at most this size
            return new Rule(Access.PUBLIC, Lane.SUBMISSION, maxSubmissionBytes);
        }
        Access access = path.equals("/admin") || path.startsWith("/admin/") || ADMIN_PATHS.contains(path)
                ? Access.ADMIN : Access.TOKEN;
        if (carriesFiles(method, path)) {
            return new Rule(access, Lane.UPLOAD, isStream(contentType) ? maxStreamBytes : maxFileJsonBytes);
        }
        return new Rule(access, Lane.API, maxJsonBytes);
    }

    private static boolean isConsole(String path) {
        return ConsoleSession.CONSOLE_PATHS.stream().anyMatch(console -> path.equals(console)
                || path.startsWith(console + "/"));
    }

    private static boolean carriesFiles(String method, String path) {
        if (!method.equals("POST")) {
            return false;
        }
        return path.equals("/bytes/raw") || path.equals("/trust/verify") || path.startsWith("/admin/import/")
                || (path.startsWith("/custody/cases/") && path.endsWith("/steps"));
    }

    private static boolean isStream(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
    }
}
