package io.bytekeep.platform.edge;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.edge.EdgePolicy.Access;

import static org.assertj.core.api.Assertions.assertThat;

class EdgePolicyTest {

    private final EdgePolicy policy = new EdgePolicy(1_000, 2_000, 3_000, 400);

    @Test
    void onlyTheShortAllowListIsPublic() {
        assertThat(policy.classify("GET", "/health", null).access()).isEqualTo(Access.PUBLIC);
        assertThat(policy.classify("POST", "/token", null).access()).isEqualTo(Access.PUBLIC);
        assertThat(policy.classify("GET", "/actuator/health", null).access()).isEqualTo(Access.PUBLIC);
        assertThat(policy.classify("GET", "/actuator/health/readiness", null).access()).isEqualTo(Access.PUBLIC);
        assertThat(policy.classify("POST", "/version/v1/diagnosis-keys", null).access()).isEqualTo(Access.PUBLIC);

        assertThat(policy.classify("GET", "/health/", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/actuator/healthz", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/actuator/prometheus", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/a/route/added/tomorrow", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("POST", "/tokens", null).access()).isEqualTo(Access.TOKEN);
    }

    @Test
    void adminPathsNeedTheAdminRole() {
        assertThat(policy.classify("GET", "/admin", null).access()).isEqualTo(Access.ADMIN);
        assertThat(policy.classify("GET", "/admin/routes", null).access()).isEqualTo(Access.ADMIN);
        assertThat(policy.classify("POST", "/admin/import/raw", "application/octet-stream").access()).isEqualTo(Access.ADMIN);
        assertThat(policy.classify("POST", "/distribution/runs", null).access()).isEqualTo(Access.ADMIN);
        assertThat(policy.classify("GET", "/administrator", null).access()).isEqualTo(Access.TOKEN);
    }

    @Test
    void theWebConsoleIsForAdminsAndOnlyItTakesTheSessionCookie() {
        assertThat(policy.classify("GET", "/actuator/hawtio", null))
                .isEqualTo(new EdgePolicy.Rule(Access.ADMIN, Lane.API, EdgePolicy.CONSOLE_REQUEST_BYTES, true));
        assertThat(policy.classify("GET", "/actuator/hawtio/camel/routes", null).console()).isTrue();
        assertThat(policy.classify("POST", "/actuator/jolokia/", "application/json").access()).isEqualTo(Access.ADMIN);
        assertThat(policy.classify("POST", "/console/login", "application/x-www-form-urlencoded"))
                .isEqualTo(new EdgePolicy.Rule(Access.PUBLIC, Lane.LOGIN, 16 * 1024));
        assertThat(policy.classify("GET", "/console/logout", null).access()).isEqualTo(Access.PUBLIC);

        assertThat(policy.classify("GET", "/actuator/hawtiox", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/console", null).access()).isEqualTo(Access.TOKEN);
        assertThat(policy.classify("GET", "/actuator/prometheus", null).console()).isFalse();
        assertThat(policy.classify("GET", "/admin/routes", null).console()).isFalse();
    }

    @Test
    void eachEndpointHasItsBudgetAndLane() {
        assertThat(policy.classify("POST", "/token", "application/x-www-form-urlencoded"))
                .isEqualTo(new EdgePolicy.Rule(Access.PUBLIC, Lane.LOGIN, 16 * 1024));
        assertThat(policy.classify("POST", "/version/v1/diagnosis-keys", "application/x-protobuf").bodyBudget()).isEqualTo(400);
        assertThat(policy.classify("POST", "/bytes/raw", "application/json"))
                .isEqualTo(new EdgePolicy.Rule(Access.TOKEN, Lane.UPLOAD, 2_000));
        assertThat(policy.classify("POST", "/bytes/raw", "Application/Octet-Stream").bodyBudget()).isEqualTo(3_000);
        assertThat(policy.classify("POST", "/custody/cases/42/steps", "application/json").lane()).isEqualTo(Lane.UPLOAD);
        assertThat(policy.classify("POST", "/trust/verify", "application/octet-stream").bodyBudget()).isEqualTo(3_000);
        assertThat(policy.classify("POST", "/bytes/boefje_meta", "application/octet-stream"))
                .isEqualTo(new EdgePolicy.Rule(Access.TOKEN, Lane.API, 1_000));
        assertThat(policy.classify("PUT", "/users/me/key", "application/json").bodyBudget()).isEqualTo(1_000);
        assertThat(policy.classify("GET", "/bytes/raw", null).lane()).isEqualTo(Lane.API);
        assertThat(policy.classify("GET", "/health", null)).isEqualTo(new EdgePolicy.Rule(Access.PUBLIC, Lane.HEALTH, 0));
    }
}
