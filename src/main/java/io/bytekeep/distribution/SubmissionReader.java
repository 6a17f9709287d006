package io.bytekeep.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;

import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

import io.bytekeep.distribution.proto.SubmissionPayload;
import io.bytekeep.distribution.proto.TemporaryExposureKey;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.BoundedInputStream;

/**
 * Reads a key submission, from an HTTP request or a queue message, in either of its two forms: the CWA protobuf
 * {@code SubmissionPayload} ({@code application/x-protobuf}) or the same fields as JSON with snake_case names
 * ({@code application/json}, key data in base64). The server sets the submission timestamp (this hour since the
 * epoch); a submission without origin gets the configured origin country, and the origin country is always among
 * the visited countries. Whether the keys are valid is {@link SubmissionChecker}'s business; a body that cannot be
 * read is a 400, a body over the limit a 413, another content type a 415.
 */
public final class SubmissionReader {

    public static final String PROTOBUF = "application/x-protobuf";
    public static final String JSON = "application/json";

    private final ObjectMapper json;
    private final long maxBytes;
    private final String defaultOriginCountry;
    private final Clock clock;

    public SubmissionReader(ObjectMapper json, long maxBytes, String defaultOriginCountry, Clock clock) {
        this.json = json;
        this.maxBytes = maxBytes;
        this.defaultOriginCountry = defaultOriginCountry;
        this.clock = clock;
    }

    /** The submission in the body of a {@code POST /version/v1/diagnosis-keys}. */
    public Submission fromRequest(Exchange exchange) throws IOException {
        String contentType = acceptedContentType(exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class));
        Long declared = exchange.getIn().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw Problem.payloadTooLarge("the body is " + declared + " bytes; the limit is " + maxBytes);
        }
        InputStream body = exchange.getIn().getBody(InputStream.class);
        if (body == null) {
            throw Problem.badRequest("a submission body is required");
        }
        byte[] bytes;
        try (InputStream bounded = new BoundedInputStream(body, maxBytes)) {
            bytes = bounded.readAllBytes();
        }
        return read(contentType, bytes);
    }

    /** The submission in a message of the submission queue; its form is told by the AMQP content_type. */
    public Submission fromMessage(Exchange exchange) {
        String contentType = acceptedContentType(exchange.getIn().getHeader(SpringRabbitMQConstants.CONTENT_TYPE, String.class));
        byte[] bytes = exchange.getIn().getBody(byte[].class);
        if (bytes == null) {
            throw Problem.badRequest("the message has no body");
        }
        if (bytes.length > maxBytes) {
            throw Problem.payloadTooLarge("the message is " + bytes.length + " bytes; the limit is " + maxBytes);
        }
        return read(contentType, bytes);
    }

    Submission read(String contentType, byte[] bytes) {
        long submissionHour = DistributionTimeSlots.hourOf(clock.instant());
        return PROTOBUF.equals(contentType) ? fromProtobuf(bytes, submissionHour) : fromJson(bytes, submissionHour);
    }

    private static String acceptedContentType(String header) {
        String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case PROTOBUF, "application/protobuf" -> PROTOBUF;
            case JSON -> JSON;
            default -> throw Problem.unsupportedMediaType("send the submission as " + PROTOBUF
                    + " (SubmissionPayload) or as " + JSON + (type.isEmpty() ? "" : ", not " + type));
        };
    }

    // ---- protobuf

    private Submission fromProtobuf(byte[] bytes, long submissionHour) {
        SubmissionPayload payload;
        try {
            payload = SubmissionPayload.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw Problem.badRequest("not a protobuf SubmissionPayload: " + e.getMessage());
        }
        String origin = origin(payload.hasOrigin() ? payload.getOrigin() : null);
        Set<String> visited = visited(payload.getVisitedCountriesList(), origin);
        List<String> missing = new ArrayList<>();
        List<DiagnosisKey> keys = new ArrayList<>(payload.getKeysCount());
        for (int i = 0; i < payload.getKeysCount(); i++) {
            TemporaryExposureKey key = payload.getKeys(i);
            requirePresent(missing, i, "key_data", key.hasKeyData());
            requirePresent(missing, i, "rolling_start_interval_number", key.hasRollingStartIntervalNumber());
            requirePresent(missing, i, "transmission_risk_level", key.hasTransmissionRiskLevel());
            keys.add(new DiagnosisKey(key.getKeyData().toByteArray(), key.getRollingStartIntervalNumber(),
                    key.getRollingPeriod(), key.getTransmissionRiskLevel(),
                    ReportType.ofNumber(key.getReportType().getNumber()), key.getDaysSinceOnsetOfSymptoms(),
                    origin, visited, submissionHour));
        }
        rejectMissing(missing);
        return new Submission(keys, payload.getConsentToFederation());
    }

    // ---- JSON

    /** The JSON form of SubmissionPayload; absent fields take the protobuf defaults. */
    record JsonPayload(List<JsonKey> keys, List<String> visitedCountries, String origin, Boolean consentToFederation) {
    }

    record JsonKey(byte[] keyData, Integer transmissionRiskLevel, Integer rollingStartIntervalNumber,
                   Integer rollingPeriod, JsonNode reportType, Integer daysSinceOnsetOfSymptoms) {
    }

    private Submission fromJson(byte[] bytes, long submissionHour) {
        JsonPayload payload;
        try {
            payload = json.readValue(bytes, JsonPayload.class);
        } catch (JacksonException e) {
            throw Problem.badRequest("not a JSON submission: " + e.getOriginalMessage() + pathOf(e));
        } catch (IOException e) {
            throw Problem.badRequest("not a JSON submission: " + e.getMessage());
        }
        if (payload == null) {
            throw Problem.badRequest("a JSON submission object is required");
        }
        String origin = origin(payload.origin());
        Set<String> visited = visited(payload.visitedCountries() == null ? List.of() : payload.visitedCountries(), origin);
        List<JsonKey> jsonKeys = payload.keys() == null ? List.of() : payload.keys();
        List<String> missing = new ArrayList<>();
        List<DiagnosisKey> keys = new ArrayList<>(jsonKeys.size());
        for (int i = 0; i < jsonKeys.size(); i++) {
            JsonKey key = jsonKeys.get(i);
            if (key == null) {
                missing.add("keys[" + i + "] is null");
                continue;
            }
            requirePresent(missing, i, "key_data", key.keyData() != null);
            requirePresent(missing, i, "rolling_start_interval_number", key.rollingStartIntervalNumber() != null);
            requirePresent(missing, i, "transmission_risk_level", key.transmissionRiskLevel() != null);
            keys.add(new DiagnosisKey(key.keyData() == null ? new byte[0] : key.keyData(),
                    orDefault(key.rollingStartIntervalNumber(), 0),
                    orDefault(key.rollingPeriod(), DiagnosisKeyValidator.MAX_ROLLING_PERIOD),
                    orDefault(key.transmissionRiskLevel(), 0),
                    reportType(key.reportType(), i), orDefault(key.daysSinceOnsetOfSymptoms(), 0),
                    origin, visited, submissionHour));
        }
        rejectMissing(missing);
        return new Submission(keys, Boolean.TRUE.equals(payload.consentToFederation()));
    }

    /** A report type by name ({@code CONFIRMED_TEST}) or by its protobuf number; absent = CONFIRMED_TEST (proto default). */
    private static ReportType reportType(JsonNode value, int index) {
        if (value == null || value.isNull()) {
            return ReportType.CONFIRMED_TEST;
        }
        if (value.isIntegralNumber()) {
            for (ReportType type : ReportType.values()) {
                if (type.number() == value.asLong()) {
                    return type;
                }
            }
        } else if (value.isTextual()) {
            for (ReportType type : ReportType.values()) {
                if (type.name().equals(value.asText())) {
                    return type;
                }
            }
        }
        throw Problem.badRequest("keys[" + index + "].report_type must be one of "
                + java.util.Arrays.toString(ReportType.values()) + " or its number 0..5, was " + value);
    }

    private static String pathOf(JacksonException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            return " (at " + path + ")";
        }
        return "";
    }

    // ---- shared

    private String origin(String given) {
        return given == null || given.isEmpty() ? defaultOriginCountry : given;
    }

    private static Set<String> visited(List<String> given, String origin) {
        Set<String> visited = new TreeSet<>();
        for (String country : given) {
            visited.add(country == null ? "" : country);
        }
        visited.add(origin);
        return visited;
    }

    private static void requirePresent(List<String> missing, int index, String field, boolean present) {
        if (!present) {
            missing.add("keys[" + index + "]." + field + " is required");
        }
    }

    private static void rejectMissing(List<String> missing) {
        if (!missing.isEmpty()) {
            throw new Problem(400, "Invalid submission", String.join("; ", missing));
        }
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
