package io.bytekeep.trust;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against the seed's own functions. The expected names were computed with the seed's {@code generate_hash_bins} and
 * {@code find_hash_bin}, copied verbatim into a script with NUMBER_OF_BINS as a parameter (python3, stdlib only):
 * <pre>
 * PREFIX_LEN = len(f"{(NUMBER_OF_BINS - 1):x}"); NUMBER_OF_PREFIXES = 16**PREFIX_LEN
 * BIN_SIZE = NUMBER_OF_PREFIXES // NUMBER_OF_BINS
 * prefix = int(hashlib.sha256(path.encode("utf-8")).hexdigest()[:PREFIX_LEN], 16)
 * low = prefix - (prefix % BIN_SIZE); high = low + BIN_SIZE - 1  -&gt; _bin_name(low, high)
 * for n in [1, 2, 32, 256, 16384]: print(n, [find_hash_bin(p) for p in PATHS])
 * </pre>
 * The first path is the seed's own example: hash 85e1a6c0..., bin 80-87 of 32.
 */
class HashBinsTest {

    private static final List<String> PATHS = List.of("repo_example/hashed_bin_delegation.py",
            "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5",
            "version/v1/diagnosis-keys/country/DE/date/2026-11-20", "version/v1/diagnosis-keys/index.txt", "version",
            "\u00e9moji/\u00fc");

    @Test
    void thirtyTwoBinsAsTheSeed() {
        HashBins bins = new HashBins(32);
        assertThat(bins.bins()).hasSize(32);
        assertThat(bins.bins().get(0)).isEqualTo(new HashBins.Bin("00-07", List.of("00", "01", "02", "03", "04", "05", "06", "07")));
        assertThat(bins.bins().get(1).name()).isEqualTo("08-0f");
        assertThat(bins.bins().get(31).name()).isEqualTo("f8-ff");
        assertThat(PATHS.stream().map(bins::binFor)).containsExactly("80-87", "58-5f", "48-4f", "30-37", "58-5f", "b0-b7");
    }

    @Test
    void otherPowersOfTwoAsTheSeed() {
        assertThat(PATHS.stream().map(new HashBins(1)::binFor)).containsOnly("0-f");
        assertThat(PATHS.stream().map(new HashBins(2)::binFor)).containsExactly("8-f", "0-7", "0-7", "0-7", "0-7", "8-f");
        HashBins bins256 = new HashBins(256);
        assertThat(bins256.bins().get(0)).isEqualTo(new HashBins.Bin("00", List.of("00")));
        assertThat(PATHS.stream().map(bins256::binFor)).containsExactly("85", "5f", "4b", "31", "5c", "b4");
        HashBins bins16k = new HashBins(16_384);
        assertThat(bins16k.bins()).hasSize(16_384);
        assertThat(bins16k.bins().get(0).prefixes()).containsExactly("0000", "0001", "0002", "0003");
        assertThat(bins16k.bins().get(16_383).name()).isEqualTo("fffc-ffff");
        assertThat(PATHS.stream().map(bins16k::binFor))
                .containsExactly("85e0-85e3", "5fb0-5fb3", "4bdc-4bdf", "316c-316f", "5ca4-5ca7", "b4b8-b4bb");
    }

    @Test
    void everyPrefixIsServedByExactlyOneBin() {
        HashBins bins = new HashBins(64);
        assertThat(bins.bins().stream().flatMap(b -> b.prefixes().stream())).doesNotHaveDuplicates().hasSize(256);
    }

    @Test
    void refusesNonPowersOfTwo() {
        assertThatThrownBy(() -> new HashBins(24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashBins(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
