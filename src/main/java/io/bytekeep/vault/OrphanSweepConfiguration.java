package io.bytekeep.vault;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.BytekeepProperties;

/** The sweeper of routes/vault-orphan-sweep.camel.yaml. */
@Configuration
public class OrphanSweepConfiguration {

    @Bean
    RawOrphanSweeper rawOrphanSweeper(S3Client s3, JdbcTemplate jdbc, BytekeepProperties properties, OrphanSweepProperties sweep,
                                      Clock clock) {
        return new RawOrphanSweeper(s3, jdbc, properties.storage().rawBucket(), sweep.minAge(), clock);
    }
}
