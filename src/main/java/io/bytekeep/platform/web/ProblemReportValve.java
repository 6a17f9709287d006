package io.bytekeep.platform.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

import io.bytekeep.platform.Problem;

/**
 * Tomcat's error report for the errors Tomcat answers itself, before a request reaches Spring's dispatcher and the
 * routes (request headers over the size limit, more headers than the count limit, a malformed request line): an RFC
 * 9457 problem, the same shape as {@link ProblemResponder}'s, instead of Tomcat's HTML page. Replaces the
 * {@link ErrorReportValve} of the host ({@link #install(Host)}); an error the application has answered already (a
 * body was written) is left as it is.
 */
public final class ProblemReportValve extends ErrorReportValve {

    /** Replaces every error report valve of the host by this one, also the one the host would add when it starts. */
    public static void install(Host host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (host instanceof StandardHost standard) {
            standard.setErrorReportValveClass(ProblemReportValve.class.getName());
        }
        if (java.util.Arrays.stream(host.getPipeline().getValves()).noneMatch(ProblemReportValve.class::isInstance)) {
            host.getPipeline().addValve(new ProblemReportValve());
        }
    }

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's: nothing on a success, nothing when the application wrote a body, and each error reported once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.resetBuffer();
            ServletProblem.write(request, response, problem(status));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response cannot take a body any more: nothing to answer
        }
    }

    static Problem problem(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String detail = switch (status) {
            case 400 -> "The HTTP server refused the request before it reached the application: a malformed request "
                    + "line or header, or request headers over the size or count limit";
            case 431 -> "The request headers are over the size or count limit";
            case 414 -> "The request line is over the size limit";
            case 404 -> "No such resource";
            default -> status >= 500 ? "The request failed on the server; see the service log"
                    : "The HTTP server refused the request";
        };
        return new Problem(status, title, detail);
    }
}
