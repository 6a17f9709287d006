package io.bytekeep.distribution;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiagnosisKeyValidatorTest {

    private static final Instant NOW = Instant.parse("2020-06-02T10:05:00Z");
    private static final int NOW_INTERVAL = (int) (NOW.getEpochSecond() / 600);
    private final DiagnosisKeyValidator validator = new DiagnosisKeyValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    private static DiagnosisKey key(byte[] data, int rollingStart, int rollingPeriod, int risk, int dsos,
                                    String origin, Set<String> visited, long submission) {
        return new DiagnosisKey(data, rollingStart, rollingPeriod, risk, ReportType.CONFIRMED_TEST, dsos, origin,
                visited, submission);
    }

    private static DiagnosisKey valid() {
        return key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 8, 0, "DE", Set.of("FR", "NL"), 441_674);
    }

    @Test
    void aValidKeyHasNoViolations() {
        assertThat(validator.violations(valid())).isEmpty();
        assertThat(validator.requireValid(valid())).isEqualTo(valid());
    }

    @Test
    void boundariesAreValid() {
        assertThat(validator.violations(key(new byte[16], 0, 1, 1, -14, "DE", Set.of(), 0))).isEmpty();
        assertThat(validator.violations(key(new byte[16], NOW_INTERVAL, 144, 8, 4000, "DE", Set.of(), 0))).isEmpty();
    }

    @Test
    void keyDataMustBeSixteenBytes() {
        assertThat(validator.violations(key(new byte[15], TestKeys.JUNE_FIRST_INTERVAL, 144, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("key data must be exactly 16 bytes, was 15");
        assertThat(validator.violations(key(new byte[17], TestKeys.JUNE_FIRST_INTERVAL, 144, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("key data must be exactly 16 bytes, was 17");
    }

    @Test
    void rollingPeriodMustBeOneTo144() {
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 0, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("rolling period must be 1..144, was 0");
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 145, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("rolling period must be 1..144, was 145");
    }

    @Test
    void rollingStartMustNotBeNegativeNorInTheFuture() {
        assertThat(validator.violations(key(new byte[16], -1, 144, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("rolling start interval number must be >= 0, was -1");
        assertThat(validator.violations(key(new byte[16], NOW_INTERVAL + 1, 144, 8, 0, "DE", Set.of(), 1)))
                .containsExactly("rolling start interval number must not be in the future, was " + (NOW_INTERVAL + 1)
                        + " while the current interval is " + NOW_INTERVAL);
    }

    @Test
    void transmissionRiskMustBeOneToEight() {
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 0, 0, "DE", Set.of(), 1)))
                .containsExactly("transmission risk level must be 1..8, was 0");
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 9, 0, "DE", Set.of(), 1)))
                .containsExactly("transmission risk level must be 1..8, was 9");
    }

    @Test
    void daysSinceOnsetMustBeMinus14To4000() {
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 5, -15, "DE", Set.of(), 1)))
                .containsExactly("days since onset of symptoms must be -14..4000, was -15");
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 5, 4001, "DE", Set.of(), 1)))
                .containsExactly("days since onset of symptoms must be -14..4000, was 4001");
    }

    @Test
    void countriesMustBeUpperCaseIsoAlpha2() {
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 5, 0, "de",
                Set.of("FR", "DEU", "XX"), 1))).containsExactly(
                "origin country must be an upper-case ISO 3166 alpha-2 code, was 'de'",
                "visited country must be an upper-case ISO 3166 alpha-2 code, was 'DEU'",
                "visited country must be an upper-case ISO 3166 alpha-2 code, was 'XX'");
    }

    @Test
    void submissionTimestampMustNotBeNegative() {
        assertThat(validator.violations(key(new byte[16], TestKeys.JUNE_FIRST_INTERVAL, 144, 5, 0, "DE", Set.of(), -1)))
                .containsExactly("submission timestamp must be >= 0 hours since the epoch, was -1");
    }

    @Test
    void everyViolationIsReportedInOneProblem() {
        DiagnosisKey bad = key(new byte[3], -5, 200, 0, 5000, "EUR", Set.of(), 1);
        assertThat(validator.violations(bad)).hasSize(6);
        assertThatThrownBy(() -> validator.requireValid(bad))
                .isInstanceOfSatisfying(Problem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.detail()).contains("key data must be exactly 16 bytes, was 3",
                            "rolling period must be 1..144, was 200", "transmission risk level must be 1..8, was 0");
                });
    }

    @Test
    void keysCompareByContentAndCopyTheirBytes() {
        byte[] data = new byte[16];
        DiagnosisKey key = key(data, 1, 144, 1, 0, "DE", Set.of(), 1);
        data[0] = 9;
        assertThat(key.keyData()[0]).isZero();
        key.keyData()[0] = 9;
        assertThat(key.keyData()[0]).isZero();
        assertThat(key).isEqualTo(key(new byte[16], 1, 144, 1, 0, "DE", Set.of(), 1))
                .hasSameHashCodeAs(key(new byte[16], 1, 144, 1, 0, "DE", Set.of(), 1));
        assertThat(key.toString()).doesNotContain("00000000");
    }
}
