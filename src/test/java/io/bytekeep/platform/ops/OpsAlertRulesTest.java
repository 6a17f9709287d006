package io.bytekeep.platform.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.distribution.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/ as Prometheus sees it: promtool (Debian's prometheus package) checks the alerting rules and runs their unit
 * tests, and checks every PromQL expression of the Grafana dashboard (as recording rules of a scratch file).
 */
class OpsAlertRulesTest {

    private static final String INSTALL = "apt-get install -y prometheus (promtool)";

    @TempDir
    Path dir;

    @Test
    void promtoolChecksTheRules() {
        ExternalTool.Outcome checked = ExternalTool.run(new byte[0], promtool(), "check", "rules", OpsFiles.RULES.toString());
        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
        assertThat(checked.stdout()).contains("SUCCESS: " + OpsFiles.ruleExpressions().size() + " rules found");
    }

    @Test
    void theRulesPassTheirUnitTests() {
        ExternalTool.Outcome tested = ExternalTool.run(new byte[0], promtool(), "test", "rules", OpsFiles.RULE_TESTS.toString());
        assertThat(tested.exitCode()).as(tested.stdout() + tested.stderr()).isZero();
        assertThat(tested.stdout()).contains("SUCCESS");
    }

    @Test
    void everyDashboardExpressionIsValidPromQl() throws Exception {
        List<String> expressions = OpsFiles.dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(15);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: dashboard:panel").append(i).append("\n        expr: '")
                    .append(expressions.get(i).replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-rules.yaml"), rules, StandardCharsets.UTF_8);
        ExternalTool.Outcome checked = ExternalTool.run(new byte[0], promtool(), "check", "rules", file.toString());
        assertThat(checked.exitCode()).as(checked.stdout() + checked.stderr()).isZero();
    }

    @Test
    void theDashboardIsOneGrafanaDashboardWithUniquePanels() {
        JsonNode dashboard = OpsFiles.dashboard();
        assertThat(dashboard.get("uid").asText()).isEqualTo("bytekeep");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel id %s", panel.get("id")).isTrue();
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
        }
    }

    @Test
    void metricNamesAreTakenFromExpressions() {
        assertThat(OpsFiles.metricNames("sum by (instance, le) (rate(http_server_requests_seconds_bucket{uri=\"/bytes/raw\"}[5m])) > 0.1"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(OpsFiles.metricNames("time() - bytekeep_distribution_last_completed_seconds > 3 * 3600"))
                .containsExactly("bytekeep_distribution_last_completed_seconds");
        assertThat(OpsFiles.metricNames("a_total / b_bytes{x=\"y\"} and on (instance) c > 0"))
                .containsExactly("a_total", "b_bytes", "c");
    }

    private static String promtool() {
        return ExternalTool.require("promtool", INSTALL);
    }
}
