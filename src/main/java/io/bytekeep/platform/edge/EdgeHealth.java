package io.bytekeep.platform.edge;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Readiness under load: OUT_OF_SERVICE while a lane is full or refused requests within the saturation memory, so an
 * orchestrator sends new traffic elsewhere; details per lane (in progress, limit, refused since start).
 */
final class EdgeHealth implements HealthIndicator {

    private final Admission admission;

    EdgeHealth(Admission admission) {
        this.admission = admission;
    }

    @Override
    public Health health() {
        Map<Lane, Admission.LaneState> saturated = admission.saturated();
        Health.Builder health = saturated.isEmpty() ? Health.up() : Health.outOfService();
        for (Lane lane : Lane.values()) {
            Admission.LaneState state = admission.state(lane);
            health.withDetail(lane.name().toLowerCase(Locale.ROOT), Map.of("inProgress", state.inProgress(),
                    "limit", state.limit(), "refused", state.refused(), "saturated", saturated.containsKey(lane)));
        }
        return health.build();
    }
}
