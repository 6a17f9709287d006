package io.bytekeep.vault;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.BytekeepProperties;

/** The sweeper of routes/vault-orphan-sweep.camel.yaml. */
@Configuration
public class OrphanSweepConfiguration {

    @Bean
    RawOrphanSweeper rawOrphanSweeper(S3Client s3, JdbcTemplate jdbc, BytekeepProperties properties, OrphanSweepProperties sweep,
                                      Clock clock, MeterRegistry meters) {
        return new RawOrphanSweeper(s3, new ObjectCopier(s3, ObjectCopier.S3_SINGLE_COPY_LIMIT, ObjectCopier.DEFAULT_PART_SIZE),
                jdbc, properties.storage().rawBucket(), sweep.minAge(), sweep.quarantinePeriod(), sweep.maxObjectsPerSweep(),
                clock, meters);
    }
}
