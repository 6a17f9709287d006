package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.vault.BoefjeMeta;
import io.bytekeep.vault.IncomingRaw;

import static org.assertj.core.api.Assertions.assertThat;
import io.bytekeep.atrest.Encoded;
import io.bytekeep.atrest.EncryptionMiddleware;
import io.bytekeep.atrest.EncryptionMiddlewares;
import io.bytekeep.atrest.IdentityMiddleware;
import io.bytekeep.atrest.KeyRecord;
import io.bytekeep.proof.InMemoryHashRepository;
import io.bytekeep.vault.Encryptor;
import io.bytekeep.vault.HashRecorder;

/** HashRecorder and Encryptor: each fills in its part of the raw file on its way through the route. */
class CustodyStepsTest {

    private final IncomingRaw raw = new IncomingRaw(
            new BoefjeMeta(UUID.randomUUID(), null, Instant.parse("2022-01-01T00:00:00Z"), new BoefjeMeta.Boefje("b", null),
                    null, Map.of(), "org", null, null),
            "f", new TreeSet<>(java.util.List.of("text/plain")), ContentSource.of("bytes".getBytes()));

    @Test
    void hashRecorderKeepsTheRepositorysLink() throws Exception {
        InMemoryHashRepository repository = new InMemoryHashRepository(10);
        raw.secureHash("sha512:00");
        new HashRecorder(repository).process(exchangeWith(raw));

        assertThat(raw.hashRetrievalLink()).isNotBlank();
        assertThat(repository.verify(raw.hashRetrievalLink(), "sha512:00")).isTrue();
        assertThat(raw.signingProviderUrl()).isNull();
    }

    @Test
    void encryptorRecordsWhichMiddlewareWrote() throws Exception {
        new Encryptor(new IdentityMiddleware()).process(exchangeWith(raw));

        assertThat(raw.encryption()).isEqualTo("IDENTITY");
        assertThat(raw.keyId()).isNull();
        assertThat(raw.stored().open().readAllBytes()).isEqualTo("bytes".getBytes());
        assertThat(new IdentityMiddleware().decode(new ByteArrayInputStream("x".getBytes()), KeyRecord.NONE).readAllBytes()).isEqualTo("x".getBytes());
    }

    @Test
    void anOrganisationsOwnMiddlewareWritesItsFiles() throws Exception {
        EncryptionMiddlewares middlewares = new EncryptionMiddlewares(java.util.List.of(new IdentityMiddleware()), "IDENTITY");
        IdentityMiddleware identity = new IdentityMiddleware();
        EncryptionMiddleware ownWriter = new EncryptionMiddleware() {
            @Override
            public String name() {
                return "OWN";
            }

            @Override
            public Encoded encode(ContentSource plain) {
                return identity.encode(plain);
            }

            @Override
            public java.io.InputStream decode(java.io.InputStream stored, KeyRecord key) {
                return identity.decode(stored, key);
            }
        };
        new Encryptor(new IdentityMiddleware(), Map.of("org", ownWriter)).process(exchangeWith(raw));
        assertThat(raw.encryption()).isEqualTo("OWN");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> middlewares.writersByOrganization(Map.of("org-x", "NACL_SEALBOX")))
                .hasMessageContaining("org-x").hasMessageContaining("NACL_SEALBOX").hasMessageContaining("not configured");
        assertThat(middlewares.writersByOrganization(Map.of("org-x", "IDENTITY")).get("org-x").name()).isEqualTo("IDENTITY");
    }

    private static Exchange exchangeWith(Object body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(body);
        return exchange;
    }
}
