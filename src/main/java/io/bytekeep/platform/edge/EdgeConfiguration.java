package io.bytekeep.platform.edge;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.security.TokenService;
import io.micrometer.core.instrument.MeterRegistry;

/** The HTTP edge in front of every route: {@link EdgePolicy}, {@link Admission}, {@link EdgeFilter}, the engine. */
@Configuration(proxyBeanMethods = false)
public class EdgeConfiguration {

    @Bean
    EdgePolicy edgePolicy(EdgeProperties edge, BytekeepProperties bytekeep) {
        return new EdgePolicy(edge.maxJsonSize().toBytes(), bytekeep.vault().maxRequestSize().toBytes(),
                bytekeep.vault().maxStreamSize().toBytes(), bytekeep.distribution().maxSubmissionSize().toBytes());
    }

    @Bean
    Admission admission(EdgeProperties edge, MeterRegistry meters) {
        return new Admission(edge.inProgress(), edge.admissionWait(), edge.latencyTarget(), edge.saturationMemory(), meters,
                System::nanoTime);
    }

    /** Right after the start-up gate, before anything else looks at a request. */
    @Bean
    FilterRegistrationBean<EdgeFilter> edgeFilter(EdgePolicy policy, TokenService tokens, Admission admission,
                                                  EdgeProperties edge) {
        FilterRegistrationBean<EdgeFilter> registration = new FilterRegistrationBean<>(
                new EdgeFilter(policy, tokens, admission, edge, System::nanoTime));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> edgeValves() {
        return factory -> factory.addContextValves(new ArrivalValve(), new UnreadBodyValve());
    }

    @Bean("edge")
    EdgeHealth edgeHealth(Admission admission) {
        return new EdgeHealth(admission);
    }

    /** Replaces the starter's engine (which runs routes on Spring's small shared task pool). */
    @Bean(name = "platform-http-engine", destroyMethod = "shutdown")
    EdgeHttpEngine platformHttpEngine(EdgeProperties edge, @Value("${server.port:8080}") int port) {
        return new EdgeHttpEngine(port, routeThreads(edge.inProgress().total()));
    }

    /** One thread per place in the lanes: admission, not a queue, decides who waits. */
    private static ThreadPoolTaskExecutor routeThreads(int size) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(size);
        executor.setMaxPoolSize(size);
        executor.setQueueCapacity(size);
        executor.setAllowCoreThreadTimeOut(true);
        executor.setThreadNamePrefix("bytekeep-http-");
        // the request's observation (its trace, the trace ids of the log lines) goes with it onto the route's thread
        executor.setTaskDecorator(new ContextPropagatingTaskDecorator());
        executor.initialize();
        return executor;
    }
}
