package io.bytekeep.platform.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import io.bytekeep.platform.Problem;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponderTest {

    private final ObjectMapper json = new ApiJson().mapper();

    @Test
    void problemsKeepTheirStatusAndAuthenticationFailuresChallenge() throws Exception {
        Exchange exchange = failed(Problem.unauthorized("Token has expired"));
        exchange.getIn().setHeader("Authorization", "Bearer secret-token");
        new ProblemResponder(json).process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(exchange.getMessage().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(exchange.getMessage().getHeader("Authorization")).as("request headers are not echoed").isNull();
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode body = json.readTree(exchange.getMessage().getBody(byte[].class));
        assertThat(body.get("type").asText()).isEqualTo("urn:bytekeep:problem:unauthorized");
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("detail").asText()).isEqualTo("Token has expired");
    }

    @Test
    void aProblemInsideAJsonMappingFailureKeepsItsStatus() {
        Problem tooLarge = Problem.payloadTooLarge("the body is larger than the limit of 10 bytes");
        assertThat(ProblemResponder.toProblem(com.fasterxml.jackson.databind.JsonMappingException.wrapWithPath(
                tooLarge, Object.class, "content")).status()).isEqualTo(413);
    }

    @Test
    void aDatabaseLostInsideATransactionIsUnavailable() {
        assertThat(ProblemResponder.toProblem(new org.springframework.transaction.TransactionSystemException("JDBC rollback failed"))
                .status()).isEqualTo(503);
    }

    /** As a pack's intent rows are reserved ({@code PackIntents}) while the database is away: no transaction begins. */
    @Test
    void aTransactionThatCannotBeginIsUnavailable() {
        assertThat(ProblemResponder.toProblem(new org.springframework.transaction.CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction", new java.sql.SQLTransientConnectionException("timeout")))
                .status()).isEqualTo(503);
    }

    @Test
    void causesAreMappedToWhatTheCallerCanDoAboutThem() {
        assertThat(ProblemResponder.toProblem(new RuntimeException(new JsonParseException(null, "Unexpected character"))).status()).isEqualTo(422);
        assertThat(ProblemResponder.toProblem(SdkClientException.create("Connection refused")).status()).isEqualTo(503);
        assertThat(ProblemResponder.toProblem(new CannotGetJdbcConnectionException("down")).status()).isEqualTo(503);
        Exchange refusedExchange = new DefaultExchange(new DefaultCamelContext());
        Problem refused = ProblemResponder.toProblem(new org.apache.camel.support.processor.PredicateValidationException(
                refusedExchange, org.apache.camel.support.builder.PredicateBuilder.constant(false)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.detail()).startsWith("Refused by a validation step: ").doesNotContain("Exchange[");
        Problem unknown = ProblemResponder.toProblem(new IllegalStateException("internal detail"));
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(unknown.detail()).doesNotContain("internal detail");
    }

    private static Exchange failed(Throwable failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }
}
