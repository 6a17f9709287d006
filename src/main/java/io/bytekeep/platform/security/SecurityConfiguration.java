package io.bytekeep.platform.security;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.BytekeepProperties;

@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    TokenService tokenService(BytekeepProperties properties, Clock clock) {
        return new TokenService(properties.security(), clock);
    }

    @Bean
    TokenIssuer tokenIssuer(TokenService tokens, Clock clock) {
        return new TokenIssuer(tokens, new LoginThrottle(clock));
    }
}
