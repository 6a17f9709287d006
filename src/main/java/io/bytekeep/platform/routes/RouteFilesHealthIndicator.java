package io.bytekeep.platform.routes;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of the route files: {@code DEGRADED} while an edited file did not load (its previous routes keep running,
 * so the service still answers 200), with the file and the error in the details (shown to admin tokens only).
 */
public class RouteFilesHealthIndicator extends AbstractHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "an edited route file did not load; its previous routes run");

    private final SafeRouteReloadStrategy reload;

    public RouteFilesHealthIndicator(SafeRouteReloadStrategy reload) {
        this.reload = reload;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        var rejected = reload.rejectedFiles();
        builder.status(rejected.isEmpty() ? Status.UP : DEGRADED)
                .withDetail("directory", reload.status().get("directory"))
                .withDetail("reloads", reload.getReloadCounter())
                .withDetail("rejected_files", rejected);
    }
}
