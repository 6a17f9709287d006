package io.bytekeep.platform;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bytekeep.storage.*: the sizes S3 itself bounds stop the start with what S3 allows. */
class StoragePropertiesTest {

    @Test
    void s3sOwnBoundsAreAccepted() {
        assertThatCode(() -> storage("5GB", "5MB")).doesNotThrowAnyException();
        assertThatCode(() -> storage("1B", "5GB")).doesNotThrowAnyException();
    }

    @Test
    void aSinglePutLargerThanS3TakesStopsTheStart() {
        assertThatThrownBy(() -> storage("6GB", "64MB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytekeep.storage.multipart-threshold must be 1B..5GB (S3 takes at most 5GB in one PUT), was 6442450944B");
        assertThatThrownBy(() -> storage("0B", "64MB")).hasMessageContaining("multipart-threshold must be 1B..5GB");
    }

    @Test
    void aPartSizeS3DoesNotTakeStopsTheStart() {
        assertThatThrownBy(() -> storage("5GB", "4MB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytekeep.storage.part-size must be 5MB..5GB (S3's smallest and largest part), was 4194304B");
        assertThatThrownBy(() -> storage("5GB", "6GB")).hasMessageContaining("part-size must be 5MB..5GB");
    }

    private static BytekeepProperties.Storage storage(String multipartThreshold, String partSize) {
        return new BytekeepProperties.Storage("", "us-east-1", "access", "secret", "bytekeep-raw", true,
                DataSize.ofKilobytes(64), DataSize.parse(multipartThreshold), DataSize.parse(partSize));
    }
}
