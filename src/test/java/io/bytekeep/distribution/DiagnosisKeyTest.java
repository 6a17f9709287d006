package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact key: what goes in comes out, in the exports' order, also for key data of a wrong length. */
class DiagnosisKeyTest {

    private static DiagnosisKey key(byte[] keyData) {
        return new DiagnosisKey(keyData, 2_700_000, 144, 5, ReportType.CONFIRMED_TEST, 1, "DE", Set.of("DE", "FR"),
                470_000);
    }

    @Property
    void keyDataComesBackAsGiven(@ForAll @Size(min = 0, max = 20) byte[] keyData) {
        DiagnosisKey key = key(keyData);
        assertThat(key.keyData()).isEqualTo(keyData);
        assertThat(key).isEqualTo(key(keyData.clone())).hasSameHashCodeAs(key(keyData.clone()));
    }

    @Property
    void orderIsTheUnsignedOrderOfTheBytes(@ForAll @Size(16) byte[] a, @ForAll @Size(16) byte[] b) {
        int expected = Integer.signum(Arrays.compareUnsigned(a, b));
        assertThat(Integer.signum(DiagnosisKey.BY_KEY_DATA.compare(key(a), key(b)))).isEqualTo(expected);
    }

    @Test
    void keysSortWithTheHighBitAsLargest() {
        byte[] low = new byte[16];
        byte[] high = new byte[16];
        high[0] = (byte) 0x80;
        byte[] lastByte = new byte[16];
        lastByte[15] = (byte) 0xff;
        byte[] shorter = {1, 2, 3};
        List<DiagnosisKey> keys = new ArrayList<>(List.of(key(high), key(shorter), key(lastByte), key(low)));
        keys.sort(DiagnosisKey.BY_KEY_DATA);
        assertThat(keys).extracting(DiagnosisKey::keyData).containsExactly(low, lastByte, shorter, high);
    }

    @Test
    void fieldsComeBackAsGiven() {
        DiagnosisKey key = key(new byte[16]);
        assertThat(key.rollingStartIntervalNumber()).isEqualTo(2_700_000);
        assertThat(key.rollingPeriod()).isEqualTo(144);
        assertThat(key.transmissionRiskLevel()).isEqualTo(5);
        assertThat(key.reportType()).isEqualTo(ReportType.CONFIRMED_TEST);
        assertThat(key.daysSinceOnsetOfSymptoms()).isEqualTo(1);
        assertThat(key.originCountry()).isEqualTo("DE");
        assertThat(key.visitedCountries()).containsExactlyInAnyOrder("DE", "FR");
        assertThat(key.submissionTimestamp()).isEqualTo(470_000L);
        assertThat(key.toString()).contains("<16 bytes>");
    }
}
