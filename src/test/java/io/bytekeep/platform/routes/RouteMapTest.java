package io.bytekeep.platform.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/INTEGRATING.md stays true to routes/: its map shows every route and call, its table every named step. */
class RouteMapTest {

    private static final Path GUIDE = Path.of("docs", "INTEGRATING.md");
    private static final String REGENERATE = "docs/INTEGRATING.md is out of date: run python3 docs/route-map.py routes "
            + "and paste its output into the mermaid block";

    private static String guide;
    private static String map;
    private static final Map<String, String> routeByDirect = new LinkedHashMap<>();
    private static final Map<String, List<String>> callsByRoute = new LinkedHashMap<>();
    private static final Map<String, List<String>> failureCallsByConfiguration = new LinkedHashMap<>();
    private static final Map<String, String> configurationByRoute = new LinkedHashMap<>();
    private static final Set<String> beanRefs = new LinkedHashSet<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readRoutesAndGuide() throws IOException {
        guide = Files.readString(GUIDE);
        Matcher block = Pattern.compile("```mermaid\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(block.find()).as("the guide has a mermaid route map").isTrue();
        map = block.group(1);
        List<Map<String, Object>> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                items.addAll(new Yaml().load(Files.readString(file)));
            }
        }
        Map<String, String> templates = new LinkedHashMap<>();
        for (Map<String, Object> item : items) {
            if (item.get("routeTemplate") instanceof Map<?, ?> template) {
                templates.put((String) template.get("id"), new Yaml().dump(template.get("route")));
            }
        }
        for (Map<String, Object> item : items) {
            if (item.get("templatedRoute") instanceof Map<?, ?> instance) {
                item = Map.of("route", routeOf((Map<String, Object>) instance, templates));
            }
            if (!item.containsKey("routeTemplate")) {
                collectRefs(item);
            }
            if (item.get("route") instanceof Map<?, ?> route) {
                String id = (String) route.get("id");
                Map<String, Object> from = (Map<String, Object>) route.get("from");
                String uri = (String) from.get("uri");
                if (uri.startsWith("direct:")) {
                    routeByDirect.put(uri, id);
                }
                callsByRoute.put(id, directCalls(from.get("steps")));
                configurationByRoute.put(id, (String) route.get("routeConfigurationId"));
            }
            if (item.get("routeConfiguration") instanceof Map<?, ?> configuration && configuration.get("id") != null) {
                failureCallsByConfiguration.put((String) configuration.get("id"), directCalls(configuration));
            }
        }
    }

    /** A templatedRoute as the route it makes: its template's route with the {{parameters}} filled in, and its id. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> routeOf(Map<String, Object> instance, Map<String, String> templates) {
        String route = templates.get((String) instance.get("routeTemplateRef"));
        assertThat(route).as("the template of " + instance.get("routeId")).isNotNull();
        for (Map<String, Object> parameter : (List<Map<String, Object>>) instance.getOrDefault("parameters", List.of())) {
            route = route.replace("{{" + parameter.get("name") + "}}", String.valueOf(parameter.get("value")));
        }
        Map<String, Object> answer = new LinkedHashMap<>((Map<String, Object>) new Yaml().load(route));
        answer.put("id", instance.get("routeId"));
        return answer;
    }

    @Test
    void theMapShowsEveryRoute() {
        assertThat(callsByRoute).isNotEmpty();
        for (String route : callsByRoute.keySet()) {
            assertThat(Pattern.compile("(?m)^\\s+" + Pattern.quote(route) + "\\[").matcher(map).find())
                    .as(REGENERATE + " (route " + route + ")").isTrue();
        }
    }

    @Test
    void theMapShowsEveryCallBetweenRoutes() {
        for (var entry : callsByRoute.entrySet()) {
            for (String call : entry.getValue()) {
                String edge = entry.getKey() + " --> " + routeByDirect.get(call);
                assertThat(map.contains(edge)).as(REGENERATE + " (" + edge + ")").isTrue();
            }
        }
    }

    @Test
    void theMapShowsWhereEachErrorHandlerGoes() {
        for (var entry : configurationByRoute.entrySet()) {
            for (String call : failureCallsByConfiguration.getOrDefault(entry.getValue(), List.of())) {
                String edge = entry.getKey() + " -. on failure .-> " + routeByDirect.get(call);
                assertThat(map.contains(edge)).as(REGENERATE + " (" + edge + ")").isTrue();
            }
        }
    }

    @Test
    void everyRouteNamesARouteConfigurationThatExists() {
        // only the REST operations, which cannot name one, take the configuration without an id
        for (var entry : configurationByRoute.entrySet()) {
            assertThat(entry.getValue()).as("route " + entry.getKey() + " names its routeConfigurationId "
                    + "(routes/api-problems.camel.yaml lists them)").isNotNull();
            assertThat(failureCallsByConfiguration).as("route configuration of route " + entry.getKey())
                    .containsKey(entry.getValue());
        }
    }

    @Test
    void everyNamedStepTheRoutesUseIsDocumented() {
        assertThat(beanRefs).contains("proofHasher", "rawRecorder");
        for (String bean : beanRefs) {
            assertThat(guide.contains("`" + bean + "`")).as("docs/INTEGRATING.md, table of named steps, lacks " + bean).isTrue();
        }
    }

    private static List<String> directCalls(Object node) {
        List<String> calls = new ArrayList<>();
        walk(node, (key, value) -> {
            if (key.equals("to") && value instanceof String uri && uri.startsWith("direct:")) {
                calls.add(uri);
            } else if (key.equals("to") && value instanceof Map<?, ?> to && String.valueOf(to.get("uri")).startsWith("direct:")) {
                calls.add((String) to.get("uri"));
            }
        });
        return calls.stream().distinct().toList();
    }

    private static void collectRefs(Object node) {
        walk(node, (key, value) -> {
            if ((key.equals("ref") || key.equals("onRedeliveryRef")) && value instanceof String ref) {
                beanRefs.add(ref);
            }
        });
    }

    private static void walk(Object node, java.util.function.BiConsumer<String, Object> visit) {
        if (node instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                visit.accept(String.valueOf(entry.getKey()), entry.getValue());
                walk(entry.getValue(), visit);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visit));
        }
    }
}
