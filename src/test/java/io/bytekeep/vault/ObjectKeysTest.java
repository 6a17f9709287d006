package io.bytekeep.vault;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectKeysTest {

    @Test
    void keysComeFromIdsNotFromNamesAndAreJournaled() throws Exception {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-a", null, null), "../../etc/passwd", new TreeSet<>(), ContentSource.of(new byte[] {1, 2, 3}));
        raw.stored(raw.content(), "IDENTITY", io.bytekeep.custody.KeyRecord.NONE);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        List<OrphanGuard.StoredObject> journal = new java.util.ArrayList<>();
        exchange.setProperty(OrphanGuard.WRITTEN_KEYS, journal);
        exchange.getIn().setBody(raw);
        exchange.getIn().setHeader("CamelAwsS3Key", "attacker/chosen");

        new ObjectKeys("raw-bucket").process(exchange);

        assertThat(raw.storageKey()).isEqualTo("raw/org-a/" + raw.id());
        assertThat(raw.storageBucket()).isEqualTo("raw-bucket");
        assertThat(exchange.getIn().getHeader("CamelAwsS3OverrideBucketName")).isEqualTo("raw-bucket");
        assertThat(exchange.getIn().getHeader("CamelAwsS3Key")).isEqualTo(raw.storageKey());
        assertThat(exchange.getIn().getHeader("CamelAwsS3ContentLength")).isEqualTo(3L);
        assertThat(journal).containsExactly(new OrphanGuard.StoredObject("raw-bucket", raw.storageKey()));
        assertThat(exchange.getProperty(ObjectKeys.RAW)).isSameAs(raw);
        assertThat(exchange.getIn().getBody(InputStream.class).readAllBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void aRouteMayChooseAnotherBucketForAFile() throws Exception {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-b", null, null), "f", new TreeSet<>(), ContentSource.of(new byte[] {7}));
        raw.stored(raw.content(), "IDENTITY", null);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        List<OrphanGuard.StoredObject> journal = new java.util.ArrayList<>();
        exchange.setProperty(OrphanGuard.WRITTEN_KEYS, journal);
        exchange.setProperty(ObjectKeys.BUCKET, "org-b-evidence");
        exchange.getIn().setBody(raw);

        new ObjectKeys("raw-bucket").process(exchange);

        assertThat(raw.storageBucket()).isEqualTo("org-b-evidence");
        assertThat(exchange.getIn().getHeader("CamelAwsS3OverrideBucketName")).isEqualTo("org-b-evidence");
        assertThat(journal).containsExactly(new OrphanGuard.StoredObject("org-b-evidence", raw.storageKey()));
    }

    @Test
    void writingWithoutAnOrphanGuardIsAWiringError() {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-a", null, null), "f", new TreeSet<>(), ContentSource.of(new byte[0]));
        raw.stored(raw.content(), "IDENTITY", io.bytekeep.custody.KeyRecord.NONE);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(raw);
        assertThatThrownBy(() -> new ObjectKeys("raw-bucket").process(exchange)).hasMessageContaining("orphanGuard");
    }
}
