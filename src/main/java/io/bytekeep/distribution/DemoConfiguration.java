package io.bytekeep.distribution;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Only with {@code --spring.profiles.active=demo}: generated keys for a full export tree after one run. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
public class DemoConfiguration {

    @Bean
    DemoKeys demoKeys(DiagnosisKeyStore store, DemoProperties settings, Clock clock) {
        return new DemoKeys(store, settings, clock);
    }
}
