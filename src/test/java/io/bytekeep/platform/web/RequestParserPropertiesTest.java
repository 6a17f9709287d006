package io.bytekeep.platform.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import io.bytekeep.platform.Problem;
import io.bytekeep.vault.BoefjeMeta;
import io.bytekeep.vault.NormalizerMeta;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request parsers of the API under arbitrary and mutated input: they return a value or fail with something the
 * problem mapping turns into a 4xx. A failure that maps to 500 (an NPE, a ClassCastException...) is a bug.
 */
class RequestParserPropertiesTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final JsonBody BODY = new JsonBody(new ApiJson().mapper(), 64 * 1024);
    private static final String VALID_BOEFJE_META = """
            {"id":"%s","started_at":"2026-03-01T10:00:00Z","ended_at":"2026-03-01T10:00:10Z",
             "boefje":{"id":"dns-records","version":"1.2"},"input_ooi":"Hostname|internet|example.org",
             "arguments":{"domain":"example.org"},"organization":"org-a","runnable_hash":"a1b2c3",
             "environment":{"TIMEOUT":"30"}}""".formatted(UUID.randomUUID());

    @Property(tries = 500)
    void arbitraryBytesAreReadOrRefusedWithA4xx(@ForAll @Size(max = 2048) byte[] body) {
        assertReadOr4xx(body, BoefjeMeta.class);
        assertReadOr4xx(body, NormalizerMeta.class);
    }

    @Property(tries = 1000)
    void mutatedMetadataIsReadOrRefusedWithA4xx(@ForAll("mutatedBoefjeMeta") String body) {
        assertReadOr4xx(body.getBytes(StandardCharsets.UTF_8), BoefjeMeta.class);
    }

    @Property(tries = 1000)
    void queryParametersOfAnyShapeAreValuesOr422(@ForAll String value) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setHeader("p", List.of(value, value));
        QueryParams params = new QueryParams(exchange.getIn());
        assertValueOr422(() -> params.uuid("p"));
        assertValueOr422(() -> params.uuids("p"));
        assertValueOr422(() -> params.integer("p", 1, 0, 1000));
        assertValueOr422(() -> params.bool("p"));
        assertThat(params.list("p")).allSatisfy(v -> assertThat(v).isEqualTo(value));
    }

    @Provide
    Arbitrary<String> mutatedBoefjeMeta() {
        Arbitrary<String> fragments = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8),
                Arbitraries.of("{", "}", "[", "]", "\"", ",", ":", "null", "1e999", "-0", "\\u0000", "\\ud800", "[[[[[[", "\"id\":"));
        return Arbitraries.integers().between(0, VALID_BOEFJE_META.length())
                .flatMap(at -> Arbitraries.integers().between(0, 12).flatMap(cut -> fragments.map(insert -> {
                    int end = Math.min(VALID_BOEFJE_META.length(), at + cut);
                    return VALID_BOEFJE_META.substring(0, at) + insert + VALID_BOEFJE_META.substring(end);
                })));
    }

    private static void assertReadOr4xx(byte[] body, Class<?> type) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setBody(body);
        try {
            assertThat(BODY.read(exchange, type)).isNotNull();
        } catch (Throwable failure) {
            Problem problem = ProblemResponder.toProblem(failure);
            assertThat(problem.status()).as("%s for %s", failure, new String(body, StandardCharsets.UTF_8)).isBetween(400, 499);
        }
    }

    private static void assertValueOr422(Runnable parse) {
        try {
            parse.run();
        } catch (Problem problem) {
            assertThat(problem.status()).isEqualTo(422);
        }
    }
}
