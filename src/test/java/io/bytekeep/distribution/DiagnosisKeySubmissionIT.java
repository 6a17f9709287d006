package io.bytekeep.distribution;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.distribution.proto.SubmissionPayload;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.distribution.SubmissionFixtures.TOKEN;
import static io.bytekeep.distribution.SubmissionFixtures.jsonKey;
import static io.bytekeep.distribution.SubmissionFixtures.jsonPayload;
import static io.bytekeep.distribution.SubmissionFixtures.key;
import static io.bytekeep.distribution.SubmissionFixtures.keyData;
import static io.bytekeep.distribution.SubmissionFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /version/v1/diagnosis-keys of routes/distribution-intake.camel.yaml over HTTP, stored in PostgreSQL. */
class DiagnosisKeySubmissionIT extends IntegrationTest {

    private static final String PATH = "/version/v1/diagnosis-keys";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DiagnosisKeyStore store;

    @BeforeEach
    void noKeys() {
        jdbc.execute("truncate table diagnosis_key");
    }

    @Test
    void protobufSubmissionIsStoredWithTheServersSubmissionHour() {
        long hourBefore = DistributionTimeSlots.hourOf(Instant.now());
        ApiClient.Response response = submit(SubmissionReader.PROTOBUF, payload(3).build().toByteArray(), TOKEN);
        long hourAfter = DistributionTimeSlots.hourOf(Instant.now());

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("received").asInt()).isEqualTo(3);
        assertThat(response.json().get("stored").asInt()).isEqualTo(3);
        List<DiagnosisKeyStore.StoredKey> stored = store.submittedSince(0);
        assertThat(stored).hasSize(3);
        DiagnosisKeyStore.StoredKey first = stored.get(0);
        assertThat(first.key().keyData()).isEqualTo(keyData(1));
        assertThat(first.key().rollingStartIntervalNumber()).isEqualTo(SubmissionFixtures.ROLLING_START);
        assertThat(first.key().rollingPeriod()).isEqualTo(144);
        assertThat(first.key().transmissionRiskLevel()).isEqualTo(5);
        assertThat(first.key().reportType()).isEqualTo(ReportType.CONFIRMED_TEST);
        assertThat(first.key().daysSinceOnsetOfSymptoms()).isEqualTo(1);
        assertThat(first.key().originCountry()).isEqualTo("DE");
        assertThat(first.key().visitedCountries()).containsExactlyInAnyOrder("DE", "FR");
        assertThat(first.key().submissionTimestamp()).isBetween(hourBefore, hourAfter);
        assertThat(first.consentToFederation()).isTrue();
        assertThat(jdbc.queryForObject("select visited_countries from diagnosis_key limit 1", String.class)).isEqualTo("DE,FR");
    }

    @Test
    void jsonSubmissionIsStored() throws Exception {
        Map<String, Object> payload = jsonPayload(List.of(jsonKey(1), jsonKey(2)));
        ApiClient.Response response = submit("application/json; charset=utf-8", JSON.writeValueAsBytes(payload), TOKEN);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().get("stored").asInt()).isEqualTo(2);
        DiagnosisKeyStore.StoredKey first = store.submittedSince(0).get(0);
        assertThat(first.key().keyData()).isEqualTo(keyData(1));
        assertThat(first.key().transmissionRiskLevel()).isEqualTo(7);
        assertThat(first.key().reportType()).isEqualTo(ReportType.SELF_REPORT);
        assertThat(first.key().daysSinceOnsetOfSymptoms()).isEqualTo(-2);
        assertThat(first.key().visitedCountries()).containsExactlyInAnyOrder("BE", "DE", "NL");
        assertThat(first.consentToFederation()).isFalse();
    }

    @Test
    void absentOriginIsTheConfiguredOriginCountry() {
        SubmissionPayload payload = payload(1).clearOrigin().clearVisitedCountries().build();
        assertThat(submit(SubmissionReader.PROTOBUF, payload.toByteArray(), TOKEN).status()).isEqualTo(200);
        DiagnosisKey key = store.submittedSince(0).get(0).key();
        assertThat(key.originCountry()).isEqualTo("DE");
        assertThat(key.visitedCountries()).containsExactly("DE");
    }

    @Test
    void wrongTokenIs403MissingTokenIs401AndNothingIsStored() {
        byte[] body = payload(2).build().toByteArray();
        assertProblem(submit(SubmissionReader.PROTOBUF, body, "not-the-token"), 403, "submission token");
        assertProblem(submit(SubmissionReader.PROTOBUF, body, TOKEN + "x"), 403, "submission token");
        assertProblem(submit(SubmissionReader.PROTOBUF, body, ""), 401, "submission token is required");
        assertProblem(submit(SubmissionReader.PROTOBUF, body, null), 401, "submission token is required");
        assertProblem(as("bytes").post(PATH, SubmissionReader.PROTOBUF, body), 401, "cwa-authorization");
        assertThat(count("diagnosis_key")).isZero();
    }

    static Stream<Arguments> invalidSubmissions() {
        return Stream.of(
                Arguments.of("15 keys", (UnaryOperator<SubmissionPayload.Builder>) p -> p.addKeys(key(15)),
                        "at most 14 keys"),
                Arguments.of("duplicate key data", (UnaryOperator<SubmissionPayload.Builder>) p -> p.addKeys(key(3)),
                        "unique"),
                Arguments.of("rolling period 0", (UnaryOperator<SubmissionPayload.Builder>) p -> p.setKeys(2, key(2).setRollingPeriod(0)),
                        "rolling period must be 1..144, was 0"),
                Arguments.of("rolling period 145", (UnaryOperator<SubmissionPayload.Builder>) p -> p.setKeys(2, key(2).setRollingPeriod(145)),
                        "rolling period must be 1..144, was 145"),
                Arguments.of("key data of 15 bytes", (UnaryOperator<SubmissionPayload.Builder>) p -> p.setKeys(0,
                        key(1).setKeyData(ByteString.copyFrom(Arrays.copyOf(keyData(1), 15)))), "exactly 16 bytes, was 15"),
                Arguments.of("risk level 9", (UnaryOperator<SubmissionPayload.Builder>) p -> p.setKeys(1, key(1).setTransmissionRiskLevel(9)),
                        "transmission risk level must be 1..8, was 9"),
                Arguments.of("no keys", (UnaryOperator<SubmissionPayload.Builder>) SubmissionPayload.Builder::clearKeys,
                        "at least one key"),
                Arguments.of("key without key data", (UnaryOperator<SubmissionPayload.Builder>) p -> p.setKeys(0, key(1).clearKeyData()),
                        "keys[0].key_data is required"),
                Arguments.of("lower-case visited country", (UnaryOperator<SubmissionPayload.Builder>) p -> p.addVisitedCountries("fr"),
                        "visited country must be an upper-case ISO 3166 alpha-2 code"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSubmissions")
    void invalidSubmissionIsRejectedWholeWith400(String name, UnaryOperator<SubmissionPayload.Builder> spoil, String detail) {
        SubmissionPayload.Builder payload = name.equals("15 keys") ? payload(14) : payload(3);
        ApiClient.Response response = submit(SubmissionReader.PROTOBUF, spoil.apply(payload).build().toByteArray(), TOKEN);
        JsonNode problem = assertProblem(response, 400, detail);
        assertThat(problem.get("title").asText()).isEqualTo("Invalid submission");
        assertThat(count("diagnosis_key")).as("nothing of an invalid submission is stored").isZero();
    }

    @Test
    void invalidJsonSubmissionNamesEveryViolation() throws Exception {
        Map<String, Object> tooRisky = jsonKey(1);
        tooRisky.put("transmission_risk_level", 9);
        Map<String, Object> tooLong = jsonKey(2);
        tooLong.put("rolling_period", 145);
        ApiClient.Response response = submit("application/json",
                JSON.writeValueAsBytes(jsonPayload(List.of(jsonKey(3), tooRisky, tooLong))), TOKEN);
        JsonNode problem = assertProblem(response, 400, "keys[1]: transmission risk level must be 1..8, was 9");
        assertThat(problem.get("detail").asText()).contains("keys[2]: rolling period must be 1..144, was 145");
        assertThat(count("diagnosis_key")).isZero();
    }

    @Test
    void resubmissionIsIdempotent() {
        byte[] body = payload(3).build().toByteArray();
        assertThat(submit(SubmissionReader.PROTOBUF, body, TOKEN).json().get("stored").asInt()).isEqualTo(3);
        ApiClient.Response again = submit(SubmissionReader.PROTOBUF, body, TOKEN);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("received").asInt()).isEqualTo(3);
        assertThat(again.json().get("stored").asInt()).isZero();

        ApiClient.Response overlapping = submit(SubmissionReader.PROTOBUF, payload(5).build().toByteArray(), TOKEN);
        assertThat(overlapping.json().get("stored").asInt()).isEqualTo(2);
        assertThat(count("diagnosis_key")).isEqualTo(5);
    }

    @Test
    void unreadableBodiesAre400WrongContentType415AndOversize413() throws Exception {
        assertProblem(submit(SubmissionReader.PROTOBUF, new byte[] {(byte) 0xff, 0x01, 0x02}, TOKEN), 400, "not a protobuf SubmissionPayload");
        assertProblem(submit("application/json", "{\"keys\": [".getBytes(), TOKEN), 400, "not a JSON submission");
        assertProblem(submit("application/json", "{\"keys\": [{\"key_data\": 5}]}".getBytes(), TOKEN), 400, "key_data");
        assertProblem(submit("text/plain", "keys".getBytes(), TOKEN), 415, "application/x-protobuf");
        assertProblem(submit(null, payload(1).build().toByteArray(), TOKEN), 415, "application/x-protobuf");

        byte[] huge = new byte[64 * 1024 + 1];
        assertProblem(submit(SubmissionReader.PROTOBUF, huge, TOKEN), 413, "limit");
        assertThat(chunkedSubmit(huge)).as("a body without Content-Length is cut off at the limit").isEqualTo(413);
        assertThat(count("diagnosis_key")).isZero();
    }

    private ApiClient.Response submit(String contentType, byte[] body, String token) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (token != null) {
            headers.put(SubmissionAuthenticator.HEADER, token);
        }
        return anonymous().send("POST", PATH, headers, body);
    }

    static JsonNode assertProblem(ApiClient.Response response, int status, String detail) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).contains(detail);
        return problem;
    }

    /** Without Content-Length: the server learns the size only by reading. */
    private int chunkedSubmit(byte[] body) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + PATH))
                .header("Content-Type", SubmissionReader.PROTOBUF)
                .header(SubmissionAuthenticator.HEADER, TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
