package io.bytekeep.platform.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

/** The PromQL of what ops/ ships: the alerting rules and the Grafana dashboard, and the metric names they use. */
final class OpsFiles {

    static final Path RULES = Path.of("ops", "prometheus", "bytekeep-alerts.yaml");
    static final Path RULE_TESTS = Path.of("ops", "prometheus", "bytekeep-alerts.test.yaml");
    static final Path DASHBOARD = Path.of("ops", "grafana", "bytekeep-dashboard.json");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right");

    private OpsFiles() {
    }

    /** Every alert's expression. */
    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions() {
        List<String> expressions = new ArrayList<>();
        Map<String, Object> rules = new Yaml().load(text(RULES));
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add(rule.get("expr").toString());
            }
        }
        return expressions;
    }

    /** Every panel target's expression, with the dashboard's variables as Grafana would fill them in. */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asText().replace("$__rate_interval", "5m").replace("$instance", ".*"));
            }
        }
        return expressions;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(text(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric names an expression selects: what is neither a function, a keyword, a label nor a literal. */
    static Set<String> metricNames(String expression) {
        String bare = STRING.matcher(expression).replaceAll(" ");
        bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = bare.replaceAll("\\b\\d+(?:\\.\\d+)?(?:[smhdwy]|ms)?\\b", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            String name = identifiers.group();
            boolean function = bare.substring(identifiers.end()).matches("(?s)\\s*\\(.*");
            if (!function && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
