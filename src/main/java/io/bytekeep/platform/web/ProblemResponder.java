package io.bytekeep.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.processor.PredicateValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import io.bytekeep.platform.Problem;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place where failures become {@code application/problem+json} responses. Callers learn what they
 * did wrong; server-side failures are logged with their cause and answered without internals.
 */
public final class ProblemResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);

    private final ObjectMapper json;

    public ProblemResponder(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problem problem = toProblem(failure);
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        if (problem.status() >= 500) {
            LOG.error("{} {} failed: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD), path, problem.detail(), failure);
        } else {
            LOG.debug("{} {} rejected with {}: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD), path, problem.status(), problem.detail());
        }
        boolean plain = problem.plainBody() != null && !asksForProblemJson(exchange.getIn().getHeader("Accept", String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, plain ? "application/json" : "application/problem+json");
        problem.headers().forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(json.writeValueAsBytes(plain ? problem.plainBody() : problem.toBody(path)));
    }

    /** Content negotiation: a client that names problem+json in Accept gets it even where Bytes had its own body. */
    static boolean asksForProblemJson(String accept) {
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/problem+json");
    }

    /**
     * The AWS SDK's own IllegalStateException: a failed PUT of a streamed body that it cannot send again (the body was
     * read once, from the connection) — storage failed, not the service.
     */
    private static boolean thrownBySdk(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return t instanceof IllegalStateException && trace.length > 0
                && trace[0].getClassName().startsWith("software.amazon.awssdk.");
    }

    static Problem toProblem(Throwable failure) {
        // a Problem anywhere in the chain wins: Jackson wraps the 413 of a bounded body read in a mapping exception
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Problem problem) {
                return problem;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException e) {
                return Problem.unprocessable("Malformed JSON: " + e.getOriginalMessage());
            }
            if (t instanceof PredicateValidationException refused) {
                // a `validate` step of a route file (an integrator's rule): the predicate is the operator's text
                return Problem.unprocessable("Refused by a validation step: " + refused.getPredicate());
            }
            if (t instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException) {
                return Problem.unavailable("This operation is stopped or being reloaded; try again shortly", t);
            }
            if (t instanceof SdkClientException || t instanceof S3Exception s3 && s3.statusCode() >= 500 || thrownBySdk(t)) {
                return Problem.unavailable("Object storage is unavailable; nothing was stored", t);
            }
            // TransactionSystemException: the connection died inside the transaction (its rollback failed);
            // CannotCreateTransactionException: no connection to begin one with
            if (t instanceof CannotGetJdbcConnectionException || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException || t instanceof TransactionSystemException
                    || t instanceof CannotCreateTransactionException) {
                return Problem.unavailable("The database is unavailable; nothing was stored", t);
            }
        }
        return new Problem(500, "Internal Server Error", "The request failed on the server; see the service log", failure);
    }
}
