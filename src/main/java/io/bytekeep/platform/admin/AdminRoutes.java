package io.bytekeep.platform.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Header;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Scheduler;
import org.quartz.Trigger;

import io.bytekeep.platform.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Lists the Camel routes with status and metrics, and stops, starts, suspends, resumes or triggers one.
 *
 * <p>Metrics come from the Micrometer route policy of camel-micrometer-starter ({@code camel.exchanges.total},
 * {@code camel.exchanges.failed} counters and the {@code camel.route.policy} timer, tagged {@code routeId}): JMX
 * is off in this application, and Camel's own route statistics (ManagedRouteMBean) exist only with JMX. Inflight
 * exchanges come from the context's in-memory InflightRepository. Micrometer keeps no minimum, so there is none.
 */
public class AdminRoutes {

    static final String TOTAL = "camel.exchanges.total";
    static final String FAILED = "camel.exchanges.failed";
    static final String TIMER = "camel.route.policy";

    private final CamelContext camel;
    private final MeterRegistry meters;

    public AdminRoutes(CamelContext camel, MeterRegistry meters) {
        this.camel = camel;
        this.meters = meters;
    }

    public record RouteMetrics(long exchangesTotal, long exchangesFailed, int exchangesInflight,
                               Double meanMillis, Double maxMillis) {
    }

    public record RouteInfo(String id, String status, String from, String source, String group, RouteMetrics metrics) {
    }

    public record RouteAction(String id, String action, String status) {
    }

    public List<RouteInfo> list() {
        List<RouteInfo> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            routes.add(info(route));
        }
        routes.sort(Comparator.comparing(RouteInfo::id));
        return routes;
    }

    public RouteInfo get(@Header("id") String id) {
        return info(route(id));
    }

    public RouteAction stop(@Header("id") String id) throws Exception {
        return control(id, "stop", true, camel.getRouteController()::stopRoute);
    }

    public RouteAction start(@Header("id") String id) throws Exception {
        return control(id, "start", false, camel.getRouteController()::startRoute);
    }

    public RouteAction suspend(@Header("id") String id) throws Exception {
        return control(id, "suspend", true, camel.getRouteController()::suspendRoute);
    }

    public RouteAction resume(@Header("id") String id) throws Exception {
        return control(id, "resume", false, camel.getRouteController()::resumeRoute);
    }

    private interface RouteOperation {
        void apply(String routeId) throws Exception;
    }

    /** {@code switchesOff}: stop and suspend are refused for the admin API's own routes. */
    private RouteAction control(String id, String action, boolean switchesOff, RouteOperation operation) throws Exception {
        route(id);
        if (switchesOff) {
            refuseAdminRoute(id, action);
        }
        operation.apply(id);
        return action(id, action);
    }

    /** Fires the Quartz job of a quartz-started route now (Scheduler#triggerJob), beside its schedule. */
    public RouteAction trigger(@Header("id") String id) throws Exception {
        Route route = route(id);
        if (!(route.getEndpoint() instanceof QuartzEndpoint quartz)) {
            throw Problem.badRequest("route " + id + " is not started by a Quartz schedule");
        }
        if (status(id) != ServiceStatus.Started) {
            throw new Problem(409, "Conflict", "route " + id + " is " + status(id) + "; start it first");
        }
        Scheduler scheduler = quartz.getComponent().getScheduler();
        Trigger trigger = scheduler.getTrigger(quartz.getTriggerKey());
        if (trigger == null) {
            throw new Problem(409, "Conflict", "route " + id + " has no scheduled Quartz job");
        }
        scheduler.triggerJob(trigger.getJobKey());
        return action(id, "trigger");
    }

    /** The admin API does not switch itself off: its own routes cannot be stopped or suspended. */
    static boolean isAdminRoute(String id) {
        return id.startsWith("admin-") || id.startsWith("api-admin-");
    }

    private void refuseAdminRoute(String id, String action) {
        if (isAdminRoute(id)) {
            throw new Problem(409, "Conflict", "route " + id + " belongs to the admin API and cannot " + action);
        }
    }

    private Route route(String id) {
        Route route = id == null ? null : camel.getRoute(id);
        if (route == null) {
            throw Problem.notFound("route " + id + " not found");
        }
        return route;
    }

    private ServiceStatus status(String id) {
        return camel.getRouteController().getRouteStatus(id);
    }

    private RouteAction action(String id, String action) {
        return new RouteAction(id, action, String.valueOf(status(id)));
    }

    private RouteInfo info(Route route) {
        String id = route.getRouteId();
        String source = route.getSourceResource() != null ? route.getSourceResource().getLocation() : null;
        if (source == null) {
            source = route.getSourceLocation();
        }
        return new RouteInfo(id, String.valueOf(status(id)), route.getEndpoint().getEndpointUri(), source,
                route.getGroup(), metrics(id));
    }

    private RouteMetrics metrics(String id) {
        long total = 0;
        long failed = 0;
        for (Counter counter : meters.find(TOTAL).tag("routeId", id).counters()) {
            total += (long) counter.count();
        }
        for (Counter counter : meters.find(FAILED).tag("routeId", id).counters()) {
            failed += (long) counter.count();
        }
        Double mean = null;
        Double max = null;
        for (Timer timer : meters.find(TIMER).tag("routeId", id).timers()) {
            if (timer.count() > 0) {
                mean = timer.mean(TimeUnit.MILLISECONDS);
                max = timer.max(TimeUnit.MILLISECONDS);
            }
        }
        return new RouteMetrics(total, failed, camel.getInflightRepository().size(id), mean, max);
    }
}
