package io.bytekeep.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.bytekeep.distribution.proto.config.ApplicationConfiguration;
import io.bytekeep.distribution.proto.config.ApplicationConfigurationAndroid;
import io.bytekeep.distribution.proto.config.ApplicationConfigurationIOS;
import io.bytekeep.distribution.proto.config.RiskCalculationParameters;
import io.bytekeep.distribution.proto.config.TransmissionRiskLevelEncoding;

/**
 * The configuration documents of config/app-configuration.yaml, read into their protobuf messages: the exposure
 * configuration (CWA's v1 {@code ApplicationConfiguration}) and the app configuration for Android and iOS (v2). The
 * YAML of each document is read through protobuf's JSON mapping, so an unknown field or a value of the wrong type is
 * refused with the field's name. A document's {@code supportedCountries}, when absent, are the distribution's.
 * <p>
 * {@link #trlDecodingProblems} checks what a phone needs to read a key's transmission risk level back: for each level
 * the distribution publishes, the report type and days since onset it is published with ({@link TransmissionRiskEncoding})
 * must decode, through the document's infectiousness mapping and {@code trlEncoding}, to the same level.
 */
public record ConfigurationDocuments(ApplicationConfiguration exposureConfiguration,
                                     ApplicationConfigurationAndroid android, ApplicationConfigurationIOS ios) {

    /** The top-level keys: the three documents, and {@code shared} for YAML anchors, itself not published. */
    public static final Set<String> SECTIONS = Set.of("exposure-configuration", "android", "ios", "shared");

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConfigurationDocuments {
        Objects.requireNonNull(exposureConfiguration, "exposureConfiguration");
        Objects.requireNonNull(android, "android");
        Objects.requireNonNull(ios, "ios");
    }

    /**
     * Reads the YAML text.
     *
     * @param source             names the text in error messages (a file path)
     * @param supportedCountries what a document without {@code supportedCountries} gets
     * @throws IllegalArgumentException naming the source, the document and the field of what is wrong
     */
    public static ConfigurationDocuments parse(String yaml, String source, List<String> supportedCountries) {
        Map<?, ?> sections = sections(yaml, source);
        ApplicationConfiguration.Builder exposure = ApplicationConfiguration.newBuilder();
        ApplicationConfigurationAndroid.Builder android = ApplicationConfigurationAndroid.newBuilder();
        ApplicationConfigurationIOS.Builder ios = ApplicationConfigurationIOS.newBuilder();
        read(sections, "exposure-configuration", exposure, source);
        read(sections, "android", android, source);
        read(sections, "ios", ios, source);
        if (exposure.getSupportedCountriesCount() == 0) {
            exposure.addAllSupportedCountries(supportedCountries);
        }
        if (android.getSupportedCountriesCount() == 0) {
            android.addAllSupportedCountries(supportedCountries);
        }
        if (ios.getSupportedCountriesCount() == 0) {
            ios.addAllSupportedCountries(supportedCountries);
        }
        return new ConfigurationDocuments(exposure.build(), android.build(), ios.build());
    }

    /**
     * What keeps the phones from reading the published transmission risk levels back, one sentence each; empty when
     * nothing does.
     *
     * @param encoding        how the keys are published; null: as submitted (nothing to check)
     * @param lowestPublished the lowest level published (the minimum transmission risk level)
     */
    public List<String> trlDecodingProblems(TransmissionRiskEncoding encoding, int lowestPublished) {
        List<String> problems = new ArrayList<>();
        if (encoding == null) {
            return problems;
        }
        decode("android", android.getRiskCalculationParameters(),
                android.getDiagnosisKeysDataMapping().getDaysSinceOnsetToInfectiousnessMap(),
                "diagnosisKeysDataMapping.daysSinceOnsetToInfectiousness", encoding, lowestPublished, problems);
        decode("ios", ios.getRiskCalculationParameters(),
                ios.getExposureConfiguration().getInfectiousnessForDaysSinceOnsetOfSymptomsMap(),
                "exposureConfiguration.infectiousnessForDaysSinceOnsetOfSymptoms", encoding, lowestPublished, problems);
        return problems;
    }

    /** A message's bytes with map entries in key order, so unchanged documents give unchanged files. */
    public static byte[] bytes(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.getSerializedSize());
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.useDeterministicSerialization();
        try {
            message.writeTo(coded);
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void decode(String document, RiskCalculationParameters parameters, Map<Integer, Integer> infectiousness,
                               String mapping, TransmissionRiskEncoding encoding, int lowestPublished,
                               List<String> problems) {
        TransmissionRiskLevelEncoding trl = parameters.getTrlEncoding();
        for (int level = lowestPublished; level <= DiagnosisKeyValidator.MAX_TRANSMISSION_RISK_LEVEL; level++) {
            ReportType reportType = encoding.reportType(level);
            int days = encoding.daysSinceOnsetOfSymptoms(level);
            Integer value = infectiousness.get(days);
            Integer offset = reportTypeOffset(trl, reportType);
            Integer infectiousnessOffset = value == null ? null : switch (value) {
                case 1 -> trl.getInfectiousnessOffsetStandard();
                case 2 -> trl.getInfectiousnessOffsetHigh();
                default -> null;
            };
            String reading;
            if (offset == null) {
                reading = "no level (trlEncoding has no offset for " + reportType + ")";
            } else if (infectiousnessOffset == null) {
                reading = "no level (" + mapping + " maps " + days + " to " + value + ", not to 1 standard or 2 high)";
            } else if (offset + infectiousnessOffset != level) {
                reading = "level " + (offset + infectiousnessOffset);
            } else {
                continue;
            }
            problems.add(document + ": a key of transmission risk level " + level + " is published as " + reportType
                    + " with " + days + " days since onset, which this document reads as " + reading
                    + " (riskCalculationParameters.trlEncoding, " + mapping
                    + "; bytekeep.distribution.transmission-risk-encoding)");
        }
    }

    /** The offset of the report type, or null for those the encoding has none for (a key the app cannot read back). */
    private static Integer reportTypeOffset(TransmissionRiskLevelEncoding trl, ReportType reportType) {
        return switch (reportType) {
            case RECURSIVE -> trl.getReportTypeOffsetRecursive();
            case SELF_REPORT -> trl.getReportTypeOffsetSelfReport();
            case CONFIRMED_CLINICAL_DIAGNOSIS -> trl.getReportTypeOffsetConfirmedClinicalDiagnosis();
            case CONFIRMED_TEST -> trl.getReportTypeOffsetConfirmedTest();
            case UNKNOWN, REVOKED -> null;
        };
    }

    private static Map<?, ?> sections(String yaml, String source) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + " is not YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> sections)) {
            throw new IllegalArgumentException(source + " must be a mapping with the keys " + SECTIONS);
        }
        Map<Object, Object> unknown = new LinkedHashMap<>(sections);
        unknown.keySet().removeAll(SECTIONS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": unknown " + unknown.keySet() + "; the keys are " + SECTIONS);
        }
        return sections;
    }

    private static void read(Map<?, ?> sections, String name, Message.Builder builder, String source) {
        Object section = sections.get(name);
        if (!(section instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + ": " + name + " is missing or not a mapping");
        }
        JsonNode json = JSON.valueToTree(section);
        try {
            JsonFormat.parser().merge(json.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(source + ": " + locate(json, builder.getDescriptorForType(), name)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The path of the first field whose value the JSON mapping refuses (its message names the value, not the field):
     * each field is tried on its own, and a refused message field is searched the same way.
     */
    private static String locate(JsonNode object, Descriptors.Descriptor type, String path) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            ObjectNode alone = JSON.createObjectNode().set(field.getKey(), field.getValue());
            try {
                JsonFormat.parser().merge(alone.toString(), DynamicMessage.newBuilder(type));
                continue;
            } catch (InvalidProtocolBufferException refused) {
                // this field
            }
            String fieldPath = path + "." + field.getKey();
            Descriptors.FieldDescriptor descriptor = type.getFields().stream()
                    .filter(f -> f.getName().equals(field.getKey()) || f.getJsonName().equals(field.getKey()))
                    .findFirst().orElse(null);
            if (descriptor == null || descriptor.getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE
                    || descriptor.isMapField()) {
                return fieldPath;
            }
            JsonNode value = field.getValue();
            if (value.isObject()) {
                return locate(value, descriptor.getMessageType(), fieldPath);
            }
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isObject()) {
                    String inner = locate(value.get(i), descriptor.getMessageType(), fieldPath + "[" + i + "]");
                    if (!inner.equals(fieldPath + "[" + i + "]")) {
                        return inner;
                    }
                }
            }
            return fieldPath;
        }
        return path;
    }
}
