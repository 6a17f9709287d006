package io.bytekeep.platform.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the running service serves ({@code GET /openapi.json}, made by Camel from the REST DSL of
 * routes/) and docs/API.md say the same: every operation, every parameter with its location and required flag, and
 * every request body with its media types, both ways. docs/API.md's table "Every operation" is read as written; an
 * operation the prose names elsewhere (`GET /path?name=…`) must be in the document too, with the query parameters it
 * names.
 */
class OpenApiDocumentIT extends IntegrationTest {

    private static final Path API_GUIDE = Path.of("docs", "API.md");
    private static final String TABLE_HEADING = "## Every operation";
    /** A table row: the operation, its parameters, its request body. */
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|DELETE|PATCH) (/[^`]*)` \\| ([^|]*) \\| ([^|]*) \\|");
    /** A parameter in the table: `name` (location[, required][, repeatable]). */
    private static final Pattern PARAMETER = Pattern.compile("`([^`]+)` \\(([^)]*)\\)");
    private static final Pattern MEDIA_TYPE = Pattern.compile("`([^`]+)`");
    /** An operation the prose names, with what follows its path up to the closing back-tick. */
    private static final Pattern MENTION = Pattern.compile("`(GET|POST|PUT|DELETE|PATCH) (/[^`?\\s]*)(\\?[^`]*)?`");
    /** Paths served by Spring (Actuator, the web console), not by the REST DSL: not in the OpenAPI document. */
    private static final List<String> NOT_REST = List.of("/actuator/", "/console/");

    record Parameter(String name, String in, boolean required) {
        @Override
        public String toString() {
            return name + " (" + in + (required ? ", required" : "") + ")";
        }
    }

    record Body(Set<String> mediaTypes, boolean required) {
    }

    record Operation(Set<Parameter> parameters, Body body) {
    }

    private Map<String, Operation> served;
    private Map<String, Operation> documented;
    private String guide;

    @BeforeEach
    void readBoth() throws IOException {
        ApiClient.Response document = as("bytes").get("/openapi.json");
        assertThat(document.status()).as(document.text()).isEqualTo(200);
        served = operationsOf(document.json());
        guide = Files.readString(API_GUIDE);
        documented = operationsOf(guide);
        // a sanity floor: an empty document, or a guide whose table was not found, cannot pass
        assertThat(served).hasSizeGreaterThan(30);
        assertThat(documented).hasSizeGreaterThan(30);
    }

    @Test
    void everyOperationIsInBothWithTheSameParametersAndBody() {
        assertThat(documented.keySet()).as("operations of docs/API.md \"Every operation\" against GET /openapi.json")
                .containsExactlyInAnyOrderElementsOf(served.keySet());
        for (Map.Entry<String, Operation> operation : served.entrySet()) {
            Operation inGuide = documented.get(operation.getKey());
            assertThat(inGuide.parameters()).as(operation.getKey() + ": parameters in docs/API.md against the OpenAPI document")
                    .containsExactlyInAnyOrderElementsOf(operation.getValue().parameters());
            assertThat(inGuide.body()).as(operation.getKey() + ": request body in docs/API.md against the OpenAPI document")
                    .isEqualTo(operation.getValue().body());
        }
    }

    @Test
    void everyParameterHasATypeAndADescription() throws Exception {
        ApiClient.Response document = as("bytes").get("/openapi.json");
        List<String> undescribed = new ArrayList<>();
        document.json().get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            for (JsonNode parameter : method.getValue().path("parameters")) {
                if (parameter.path("description").asText("").isBlank() || parameter.path("schema").path("type").isMissingNode()) {
                    undescribed.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + parameter.path("name").asText());
                }
            }
            JsonNode body = method.getValue().path("requestBody");
            if (!body.isMissingNode() && body.path("description").asText("").isBlank()) {
                undescribed.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " body");
            }
        }));
        assertThat(undescribed).as("parameters and bodies without a type or description").isEmpty();
    }

    @Test
    void everyOperationTheProseNamesIsServedWithTheQueryParametersItNames() {
        Matcher mention = MENTION.matcher(guide);
        List<String> checked = new ArrayList<>();
        while (mention.find()) {
            String path = mention.group(2);
            if (NOT_REST.stream().anyMatch(path::startsWith)) {
                continue;
            }
            String key = mention.group(1) + " " + path;
            assertThat(served).as("docs/API.md names " + key + ", which GET /openapi.json does not have").containsKey(key);
            if (mention.group(3) != null) {
                Set<String> query = new TreeSet<>();
                served.get(key).parameters().stream().filter(p -> p.in().equals("query")).forEach(p -> query.add(p.name()));
                for (String pair : mention.group(3).substring(1).split("&")) {
                    String name = pair.split("=", 2)[0];
                    assertThat(query).as("docs/API.md names the query parameter " + name + " of " + key).contains(name);
                }
            }
            checked.add(key);
        }
        assertThat(checked).contains("GET /bytes/boefje_meta", "POST /bytes/raw", "POST /trust/verify");
    }

    private static Map<String, Operation> operationsOf(JsonNode document) {
        Map<String, Operation> operations = new TreeMap<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            Set<Parameter> parameters = new TreeSet<>(java.util.Comparator.comparing(Parameter::toString));
            for (JsonNode parameter : method.getValue().path("parameters")) {
                parameters.add(new Parameter(parameter.get("name").asText(), parameter.get("in").asText(),
                        parameter.path("required").asBoolean(false)));
            }
            JsonNode requestBody = method.getValue().path("requestBody");
            Body body = null;
            if (!requestBody.isMissingNode()) {
                Set<String> mediaTypes = new TreeSet<>();
                requestBody.path("content").fieldNames().forEachRemaining(mediaTypes::add);
                body = new Body(mediaTypes, requestBody.path("required").asBoolean(false));
            }
            operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), new Operation(parameters, body));
        }));
        return operations;
    }

    /** The table under "## Every operation" of docs/API.md. */
    private static Map<String, Operation> operationsOf(String guide) {
        int start = guide.indexOf("\n" + TABLE_HEADING);
        assertThat(start).as("docs/API.md has a section " + TABLE_HEADING).isNotNegative();
        int end = guide.indexOf("\n## ", start + 1);
        String section = guide.substring(start, end < 0 ? guide.length() : end);
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            Set<Parameter> parameters = new TreeSet<>(java.util.Comparator.comparing(Parameter::toString));
            Matcher parameter = PARAMETER.matcher(row.group(3));
            while (parameter.find()) {
                List<String> facts = List.of(parameter.group(2).split(",\\s*"));
                parameters.add(new Parameter(parameter.group(1), facts.get(0), facts.contains("required")));
            }
            String bodyCell = row.group(4).trim();
            Body body = null;
            if (!bodyCell.equals("—")) {
                Set<String> mediaTypes = new TreeSet<>();
                Matcher mediaType = MEDIA_TYPE.matcher(bodyCell);
                while (mediaType.find()) {
                    mediaTypes.add(mediaType.group(1));
                }
                body = new Body(mediaTypes, bodyCell.contains("(required)"));
            }
            String key = row.group(1) + " " + row.group(2);
            assertThat(operations.put(key, new Operation(parameters, body))).as(key + " is in the table twice").isNull();
        }
        return operations;
    }
}
