package io.bytekeep.sharing;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bytekeep.sharing.max-document-size is checked at start: nothing a multipart upload of 10 000 parts cannot hold. */
class SharingPropertiesTest {

    @Test
    void theMaximumDocumentSizeIsPositiveAndWithinTenThousandLargestParts() {
        assertThat(properties(DataSize.ofTerabytes(5)).maxDocumentSize().toBytes()).isEqualTo(5L << 40);
        assertThat(properties(DataSize.ofGigabytes(50_000)).maxDocumentSize()).isEqualTo(DataSize.ofGigabytes(50_000));

        for (DataSize wrong : new DataSize[] {DataSize.ofBytes(0), DataSize.ofBytes(-1), DataSize.ofBytes(DataSize.ofGigabytes(50_000).toBytes() + 1)}) {
            assertThatThrownBy(() -> properties(wrong)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bytekeep.sharing.max-document-size (BYTEKEEP_SHARING_MAX_DOCUMENT_SIZE) must be 1B..50000GB "
                            + "(10 000 parts of S3's largest part, 5GB), was " + wrong);
        }
    }

    private static SharingProperties properties(DataSize maxDocumentSize) {
        return new SharingProperties("documents", DataSize.ofMegabytes(16), maxDocumentSize, Duration.ofMinutes(5),
                Duration.ofHours(1), "document_audit", null, false, Duration.ofHours(24),
                new SharingProperties.AbandonedSweep(true, Duration.ofHours(1), 100_000));
    }
}
