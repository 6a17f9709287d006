package io.bytekeep.platform.security;

import java.time.Clock;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
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
    BearerAuthenticator bearerAuthenticator(TokenService tokens) {
        return new BearerAuthenticator(tokens);
    }

    @Bean
    TokenIssuer tokenIssuer(TokenService tokens, Clock clock) {
        return new TokenIssuer(tokens, new LoginThrottle(clock));
    }

    /** Actuator lives outside the Camel routes; the same tokens guard it, except its health endpoint. */
    @Bean
    FilterRegistrationBean<ActuatorGuard> actuatorGuard(TokenService tokens) {
        FilterRegistrationBean<ActuatorGuard> registration = new FilterRegistrationBean<>(new ActuatorGuard(tokens));
        registration.addUrlPatterns("/actuator/*");
        return registration;
    }
}
