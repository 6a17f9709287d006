package io.bytekeep.platform;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The step of the route configuration background-failures (routes/background-failures.camel.yaml). */
    @Bean
    BackgroundFailureLog backgroundFailureLog() {
        return new BackgroundFailureLog();
    }
}
