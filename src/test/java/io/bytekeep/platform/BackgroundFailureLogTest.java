package io.bytekeep.platform;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.web.ProblemResponder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/background-failures.camel.yaml on a real background route (routes/vault-orphan-sweep.camel.yaml): a sweep
 * that fails is logged with its route and the exception, and counted; the HTTP problem responder, which once logged
 * such a failure as "null null failed", never sees it.
 */
class BackgroundFailureLogTest {

    private final ListAppender<ILoggingEvent> background = capture(BackgroundFailureLog.class);
    private final ListAppender<ILoggingEvent> http = capture(ProblemResponder.class);

    @AfterEach
    void stopCapturing() {
        release(BackgroundFailureLog.class, background);
        release(ProblemResponder.class, http);
    }

    @Test
    void aFailingSweepIsLoggedWithItsRouteAndTheExceptionNotAnsweredAsARequest() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (CamelContext camel = new DefaultCamelContext()) {
            MicrometerRoutePolicyFactory routePolicy = new MicrometerRoutePolicyFactory();
            routePolicy.setMeterRegistry(meters);
            camel.addRoutePolicyFactory(routePolicy);
            Properties settings = new Properties();
            settings.setProperty("bytekeep.orphan-sweep.enabled", "true");
            settings.setProperty("bytekeep.orphan-sweep.interval", "200");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.getRegistry().bind("problemResponder", new ProblemResponder(new ObjectMapper()));
            camel.getRegistry().bind("backgroundFailureLog", new BackgroundFailureLog());
            camel.getRegistry().bind("rawOrphanSweeper", new FailingSweeper());
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    routeFile(camel, "api-problems"), routeFile(camel, "background-failures"), routeFile(camel, "vault-orphan-sweep"));
            NotifyBuilder swept = new NotifyBuilder(camel).fromRoute("raw-orphan-sweep").whenDone(1).create();

            camel.start();

            assertThat(swept.matches(10, TimeUnit.SECONDS)).as("the sweep fired").isTrue();
            assertThat(meters.get("camel.exchanges.failures.handled").tag("routeId", "raw-orphan-sweep").counter().count())
                    .as("counted by Camel's route policy").isPositive();
        }
        ILoggingEvent logged = background.list.get(0);
        assertThat(logged.getLevel()).isEqualTo(Level.ERROR);
        assertThat(logged.getFormattedMessage())
                .isEqualTo("Background route raw-orphan-sweep failed: java.lang.IllegalStateException: object storage away");
        assertThat(logged.getThrowableProxy()).as("with its stack trace").isNotNull();
        assertThat(http.list).as("the HTTP problem responder is not involved").isEmpty();
        assertThat(background.list).noneMatch(event -> event.getFormattedMessage().contains("null null"));
    }

    /** The sweep step of vault-orphan-sweep, failing as it does while object storage is away. */
    public static final class FailingSweeper {
        public void sweep() {
            throw new IllegalStateException("object storage away");
        }
    }

    private static org.apache.camel.spi.Resource routeFile(CamelContext camel, String name) throws Exception {
        return ResourceHelper.resolveMandatoryResource(camel, "file:routes/" + name + ".camel.yaml");
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
        return appender;
    }

    private static void release(Class<?> type, ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
    }
}
