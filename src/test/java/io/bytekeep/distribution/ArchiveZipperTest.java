package io.bytekeep.distribution;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveZipperTest {

    private static final byte[] BIN = "EK Export v1    some protobuf bytes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIG = new byte[] {10, 3, 1, 2, 3};

    @Test
    void exactlyTwoEntriesInFixedOrderWithTheirContent() throws Exception {
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(new ArchiveZipper().zip(BIN, SIG)))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                names.add(entry.getName());
                contents.add(zip.readAllBytes());
                assertThat(entry.getExtra()).isNull();
                assertThat(entry.getComment()).isNull();
                assertThat(entry.getMethod()).isEqualTo(ZipEntry.DEFLATED);
                assertThat(entry.getTimeLocal()).isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0));
            }
        }
        assertThat(names).containsExactly("export.bin", "export.sig");
        assertThat(contents.get(0)).isEqualTo(BIN);
        assertThat(contents.get(1)).isEqualTo(SIG);
    }

    @Test
    void zippingTwiceGivesIdenticalBytes() {
        assertThat(new ArchiveZipper().zip(BIN, SIG)).isEqualTo(new ArchiveZipper().zip(BIN.clone(), SIG.clone()));
    }

    @Test
    void theDefaultTimeZoneDoesNotChangeTheBytes() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            byte[] utc = new ArchiveZipper().zip(BIN, SIG);
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            byte[] plus14 = new ArchiveZipper().zip(BIN, SIG);
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            byte[] losAngeles = new ArchiveZipper().zip(BIN, SIG);
            assertThat(plus14).isEqualTo(utc);
            assertThat(losAngeles).isEqualTo(utc);
        } finally {
            TimeZone.setDefault(original);
        }
    }

    @Test
    void theCompressionLevelIsASetting() {
        byte[] big = new byte[10_000];
        assertThat(new ArchiveZipper(0).zip(big, SIG).length).isGreaterThan(new ArchiveZipper(9).zip(big, SIG).length);
        assertThatThrownBy(() -> new ArchiveZipper(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
