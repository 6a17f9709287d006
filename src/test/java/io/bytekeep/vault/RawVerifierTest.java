package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.bytekeep.atrest.IdentityMiddleware;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawVerifierTest {

    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");
    private static final String HASH =
            "sha512:bc4d1f0a71ba9bf2ab2b7520322f8e969c48d5ae99e84b4a60b850f61ce5b1e95e13f3ef6c43680fb03960f98799a92770e30591253784cc3213b194a73ea21d";

    private final RawVerifier verifier = new RawVerifier(Map.of("IDENTITY", new IdentityMiddleware()),
            new ExchangeSpool(java.nio.file.Path.of("target", "test-spool")));

    @Test
    void matchingBytesAreAnsweredAsOctetStream() throws Exception {
        Exchange exchange = exchange("KAT for president", "IDENTITY");
        exchange.getIn().setHeader("CamelAwsS3Key", "raw/org/x");
        verifier.process(exchange);

        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(exchange.getMessage().getHeader("CamelAwsS3Key")).isNull();
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("KAT for president");
        }
    }

    @Test
    void changedBytesAreRefused() {
        assertThatThrownBy(() -> verifier.process(exchange("KAT for president!", "IDENTITY")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(500));
    }

    @Test
    void anUnconfiguredMiddlewareIsAnError() {
        assertThatThrownBy(() -> verifier.process(exchange("KAT for president", "NACL_SEALBOX")))
                .hasMessageContaining("NACL_SEALBOX");
    }

    private static Exchange exchange(String stored, String encryption) {
        BoefjeMeta boefjeMeta = new BoefjeMeta(UUID.randomUUID(), null, ENDED, new BoefjeMeta.Boefje("b", null), null, Map.of(), "org", null, null);
        RawDataMeta meta = new RawDataMeta(UUID.randomUUID(), boefjeMeta, List.of(), HASH, null, "link");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ExchangeProperties.STORED_RAW, new StoredRaw(meta, "bytekeep-raw", "raw/org/x", null, stored.length(), stored.length(), encryption, io.bytekeep.atrest.KeyRecord.NONE));
        exchange.getIn().setBody(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
        return exchange;
    }
}
