package io.bytekeep.platform.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

import io.bytekeep.platform.Problem;

/**
 * Answers 503 with Retry-After until the application is ready (its routes started), and again once it stops: the
 * web server listens before the Camel routes register their paths, and a request in that window would otherwise get
 * Spring's 404 "No static resource" or a 405, which a Bytes client takes as final. Actuator stays reachable, so the
 * probes report the state themselves.
 */
public class StartupGate extends OncePerRequestFilter {

    private final ApplicationAvailability availability;

    public StartupGate(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            ServletProblem.write(request, response, Problem.unavailable(
                    "Bytekeep is starting or stopping; retry in " + Problem.RETRY_AFTER_SECONDS + " s", null));
            return;
        }
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }
}
