package io.bytekeep.platform.console;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.edge.ConsoleSession;
import io.bytekeep.platform.security.TokenIssuer;
import io.bytekeep.platform.security.TokenService;

/** The web console's login, on with the console ({@code bytekeep.console}, {@code BYTEKEEP_CONSOLE}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bytekeep.console", havingValue = "true")
public class ConsoleConfiguration {

    @Bean
    ServletRegistrationBean<ConsoleLogin> consoleLogin(TokenIssuer issuer, TokenService tokens, Clock clock) {
        return new ServletRegistrationBean<>(new ConsoleLogin(issuer, tokens, clock), ConsoleSession.LOGIN_PATH,
                ConsoleSession.LOGOUT_PATH);
    }
}
