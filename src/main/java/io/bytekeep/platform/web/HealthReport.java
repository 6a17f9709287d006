package io.bytekeep.platform.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;

/**
 * Bytes' {@code GET /health} ({@code ServiceHealth}): the service, whether it is healthy, its version, and the
 * health of what it depends on (database, object storage, broker), taken from Actuator's indicators.
 */
public class HealthReport {

    private final HealthEndpoint health;
    private final String version;
    private final List<String> dependencies;

    public HealthReport(HealthEndpoint health, String version, List<String> dependencies) {
        this.health = health;
        this.version = version;
        this.dependencies = List.copyOf(dependencies);
    }

    public Map<String, Object> report() {
        List<Map<String, Object>> results = new ArrayList<>();
        boolean healthy = true;
        for (String dependency : dependencies) {
            HealthComponent component = health.healthForPath(dependency);
            if (component == null) {
                continue;
            }
            boolean up = Status.UP.equals(component.getStatus());
            healthy &= up;
            results.add(serviceHealth(dependency, up, null, List.of()));
        }
        return serviceHealth("bytekeep", healthy, version, results);
    }

    private static Map<String, Object> serviceHealth(String service, boolean healthy, String version, List<Map<String, Object>> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("healthy", healthy);
        body.put("version", version);
        body.put("additional", null);
        body.put("results", results);
        return body;
    }
}
