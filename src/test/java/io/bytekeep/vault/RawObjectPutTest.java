package io.bytekeep.vault;

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
import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.ExchangeProperties;

/** Where a file goes; that its bytes get there is VaultIngestRoutesIT's (large files, through a real S3 API). */
class RawObjectPutTest {

    @Test
    void keysComeFromIdsNotFromNamesAndAreJournaled() {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-a", null, null), "../../etc/passwd", new TreeSet<>(), ContentSource.of(new byte[] {1, 2, 3}));
        raw.stored(raw.content(), "IDENTITY", io.bytekeep.atrest.KeyRecord.NONE);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        List<OrphanGuard.StoredObject> journal = new java.util.ArrayList<>();
        exchange.setProperty(ExchangeProperties.WRITTEN_OBJECTS, journal);
        exchange.getIn().setBody(raw);
        exchange.getIn().setHeader("CamelAwsS3Key", "attacker/chosen");

        String bucket = new RawObjectPut(null, "raw-bucket", Long.MAX_VALUE, 5L << 20).place(exchange, raw);

        assertThat(raw.storageKey()).isEqualTo("raw/org-a/" + raw.id());
        assertThat(raw.storageBucket()).isEqualTo("raw-bucket").isEqualTo(bucket);
        assertThat(journal).containsExactly(new OrphanGuard.StoredObject("raw-bucket", raw.storageKey()));
    }

    @Test
    void aRouteMayChooseAnotherBucketForAFile() {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-b", null, null), "f", new TreeSet<>(), ContentSource.of(new byte[] {7}));
        raw.stored(raw.content(), "IDENTITY", null);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        List<OrphanGuard.StoredObject> journal = new java.util.ArrayList<>();
        exchange.setProperty(ExchangeProperties.WRITTEN_OBJECTS, journal);
        exchange.setProperty(ExchangeProperties.RAW_BUCKET, "org-b-evidence");
        exchange.getIn().setBody(raw);

        new RawObjectPut(null, "raw-bucket", Long.MAX_VALUE, 5L << 20).place(exchange, raw);

        assertThat(raw.storageBucket()).isEqualTo("org-b-evidence");
        assertThat(journal).containsExactly(new OrphanGuard.StoredObject("org-b-evidence", raw.storageKey()));
    }

    @Test
    void writingWithoutAnOrphanGuardIsAWiringError() {
        IncomingRaw raw = new IncomingRaw(new BoefjeMeta(UUID.randomUUID(), null, Instant.EPOCH, new BoefjeMeta.Boefje("b", null),
                null, Map.of(), "org-a", null, null), "f", new TreeSet<>(), ContentSource.of(new byte[0]));
        raw.stored(raw.content(), "IDENTITY", io.bytekeep.atrest.KeyRecord.NONE);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(raw);
        assertThatThrownBy(() -> new RawObjectPut(null, "raw-bucket", Long.MAX_VALUE, 5L << 20).process(exchange)).hasMessageContaining("orphanGuard");
    }
}
