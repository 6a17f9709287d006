package io.bytekeep.platform.security;

import java.time.Clock;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.web.DeclaredSizeGuard;
import io.bytekeep.platform.web.FormBody;

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

    /** A login form is small: a larger declared one is refused before a byte of it is read. */
    @Bean
    FilterRegistrationBean<DeclaredSizeGuard> tokenSizeGuard() {
        FilterRegistrationBean<DeclaredSizeGuard> registration = new FilterRegistrationBean<>(
                new DeclaredSizeGuard(FormBody.MAX_BYTES, FormBody.MAX_BYTES));
        registration.setName("tokenSizeGuard");
        registration.addUrlPatterns("/token");
        return registration;
    }

    /** Actuator lives outside the Camel routes; the same tokens guard it, except its health endpoint. */
    @Bean
    FilterRegistrationBean<ActuatorGuard> actuatorGuard(TokenService tokens) {
        FilterRegistrationBean<ActuatorGuard> registration = new FilterRegistrationBean<>(new ActuatorGuard(tokens));
        registration.addUrlPatterns("/actuator/*");
        return registration;
    }
}
