package io.bytekeep.distribution;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A distribution run of a 24-hour tree watched while it publishes (no index ever names a missing object), then the
 * exports S3 server stopped in the middle of it: the run fails cleanly, and a later run completes a consistent tree.
 * Timing-dependent (the outage must fall inside the run), so it runs with -Pfaults.
 */
@Tag("faults")
class DistributionFaultsIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-exports";

    @Autowired
    ProducerTemplate producer;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @Autowired
    @Qualifier("embeddedS3ExportsServer")
    EmbeddedS3Server exportsServer;

    @Autowired
    DiagnosisKeyStore store;

    @BeforeEach
    void emptyDistribution() {
        jdbc.execute("truncate table diagnosis_key");
        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, BUCKET);
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
    }

    @AfterEach
    void exportsServerRuns() {
        exportsServer.start();
    }

    @Test
    void anOutageInTheMiddleOfARunLeavesNoIndexNamingAMissingObject() throws Exception {
        long firstHour = DistributionTimeSlots.firstHourOf(LocalDate.now(ZoneOffset.UTC).minusDays(2));
        List<DiagnosisKey> keys = new ArrayList<>();
        for (int hour = 0; hour < 24; hour++) {
            keys.addAll(TestKeys.keys(hour * 100L, 6, firstHour + hour));
        }
        store.storeNew(new Submission(keys, true));

        // while the run publishes, every index seen names objects that exist (fetched first, then listed again)
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> producer.requestBody("direct:distribution-run", (Object) null));
        int checks = 0;
        while (!run.isDone() && listing().size() < 20) {
            ExportTree.assertNoIndexNamesAMissingObject(exports, BUCKET);
            checks++;
        }
        exportsServer.stop();
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) run.get(120, TimeUnit.SECONDS);
        // the exports server keeps objects in memory: after the outage the bucket is new and empty
        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, BUCKET);
        assertThat(summary).as("the outage fell inside the run").containsEntry("status", "failed");
        System.out.printf("[faults] distribution outage mid-run: %s; %d consistency checks of the tree during the run%n", summary, checks);

        @SuppressWarnings("unchecked")
        Map<String, Object> later = (Map<String, Object>) producer.requestBody("direct:distribution-run", (Object) null);
        assertThat(later).containsEntry("status", "completed");
        ExportTree.assertNoIndexNamesAMissingObject(exports, BUCKET);
    }

    private List<String> listing() {
        return ExportTree.listing(exports, BUCKET);
    }
}
