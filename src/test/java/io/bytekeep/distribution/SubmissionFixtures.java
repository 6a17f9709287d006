package io.bytekeep.distribution;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.bytekeep.distribution.proto.SubmissionPayload;
import io.bytekeep.distribution.proto.TemporaryExposureKey;

import static org.assertj.core.api.Assertions.assertThat;

/** Submissions for the intake tests, in both forms, and a look at the broker's queues. */
final class SubmissionFixtures {

    static final String TOKEN = "test-submission-token-0123456789";
    static final String QUEUE = "bytekeep_test_diagnosis_key_submissions";
    static final String DLQ = QUEUE + ".dlq";

    /** A daily key that began at UTC midnight two days ago: valid now. */
    static final int ROLLING_START = (int) (Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2))
            .getEpochSecond() / 600);

    private SubmissionFixtures() {
    }

    /** 16 bytes that start with {@code n} and are distinct per n. */
    static byte[] keyData(long n) {
        return ByteBuffer.allocate(16).putLong(n).putLong(0x5EED_0000_0000_0000L ^ n).array();
    }

    static TemporaryExposureKey.Builder key(long n) {
        return TemporaryExposureKey.newBuilder()
                .setKeyData(ByteString.copyFrom(keyData(n)))
                .setRollingStartIntervalNumber(ROLLING_START)
                .setRollingPeriod(144)
                .setTransmissionRiskLevel(5)
                .setReportType(TemporaryExposureKey.ReportType.CONFIRMED_TEST)
                .setDaysSinceOnsetOfSymptoms(1);
    }

    /** A protobuf submission of keys 1..count from DE with a visit to FR, consent given. */
    static SubmissionPayload.Builder payload(int count) {
        SubmissionPayload.Builder payload = SubmissionPayload.newBuilder()
                .addVisitedCountries("FR").setOrigin("DE").setConsentToFederation(true);
        for (int n = 1; n <= count; n++) {
            payload.addKeys(key(n));
        }
        return payload;
    }

    /** The JSON form of a key, as a client writes it. */
    static Map<String, Object> jsonKey(long n) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("key_data", java.util.Base64.getEncoder().encodeToString(keyData(n)));
        key.put("rolling_start_interval_number", ROLLING_START);
        key.put("rolling_period", 144);
        key.put("transmission_risk_level", 7);
        key.put("report_type", "SELF_REPORT");
        key.put("days_since_onset_of_symptoms", -2);
        return key;
    }

    static Map<String, Object> jsonPayload(List<Map<String, Object>> keys) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("keys", keys);
        payload.put("visited_countries", List.of("NL", "BE"));
        payload.put("origin", "DE");
        payload.put("consent_to_federation", false);
        return payload;
    }

    /** Ready and unacknowledged messages of a queue and its consumers, from the broker itself. */
    record QueueDepth(long ready, long unacknowledged, long consumers) {
        long total() {
            return ready + unacknowledged;
        }
    }

    static QueueDepth depth(String queue) {
        for (String line : rabbitmqctl("list_queues", "name", "messages_ready", "messages_unacknowledged", "consumers").split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 4 && columns[0].equals(queue)) {
                return new QueueDepth(Long.parseLong(columns[1]), Long.parseLong(columns[2]), Long.parseLong(columns[3]));
            }
        }
        throw new AssertionError("no queue " + queue + " on the broker");
    }

    private static String rabbitmqctl(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q", "--no-table-headers"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("rabbitmqctl: " + output).isZero();
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
