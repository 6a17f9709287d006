package io.bytekeep.distribution;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.google.protobuf.ByteString;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import io.bytekeep.distribution.proto.SubmissionPayload;
import io.bytekeep.distribution.proto.TemporaryExposureKey;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key submission reader under arbitrary bytes in both forms, and under well-formed payloads with arbitrary field
 * values: a submission or a 4xx problem, nothing else (anything else is a 500 over HTTP and a requeue loop on the
 * queue). Well-formed protobuf payloads keep their keys.
 */
class SubmissionReaderPropertiesTest {

    private final SubmissionReader reader = new SubmissionReader(new ApiJson().mapper(), 64 * 1024, "DE",
            Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    @Property(tries = 1000)
    void arbitraryBytesAreASubmissionOrA4xx(@ForAll @Size(max = 4096) byte[] body) {
        assertReadOr4xx(SubmissionReader.PROTOBUF, body);
        assertReadOr4xx(SubmissionReader.JSON, body);
    }

    @Property(tries = 1000)
    void wellFormedProtobufKeepsItsKeys(@ForAll("payloads") SubmissionPayload payload) {
        try {
            Submission submission = reader.read(SubmissionReader.PROTOBUF, payload.toByteArray());
            assertThat(submission.keys()).hasSize(payload.getKeysCount());
            for (int i = 0; i < payload.getKeysCount(); i++) {
                assertThat(submission.keys().get(i).keyData()).isEqualTo(payload.getKeys(i).getKeyData().toByteArray());
            }
        } catch (Problem problem) {
            assertThat(problem.status()).isBetween(400, 499);
        }
    }

    @Provide
    Arbitrary<SubmissionPayload> payloads() {
        Arbitrary<TemporaryExposureKey> key = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.of(TemporaryExposureKey.ReportType.values()), Arbitraries.integers())
                .as((data, risk, start, period, reportType, onset) -> TemporaryExposureKey.newBuilder()
                        .setKeyData(ByteString.copyFrom(data)).setTransmissionRiskLevel(risk)
                        .setRollingStartIntervalNumber(start).setRollingPeriod(period)
                        .setReportType(reportType).setDaysSinceOnsetOfSymptoms(onset).build());
        Arbitrary<List<String>> countries = Arbitraries.strings().ofMaxLength(4).list().ofMaxSize(5);
        return Combinators.combine(key.list().ofMaxSize(20), countries, Arbitraries.strings().ofMaxLength(4), Arbitraries.of(true, false))
                .as((keys, visited, origin, consent) -> SubmissionPayload.newBuilder().addAllKeys(keys)
                        .addAllVisitedCountries(visited).setOrigin(origin).setConsentToFederation(consent).build());
    }

    private void assertReadOr4xx(String contentType, byte[] body) {
        try {
            reader.read(contentType, body);
        } catch (Problem problem) {
            assertThat(problem.status()).isBetween(400, 499);
        }
    }
}
