package io.bytekeep.platform.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.ServletProblem;

/** Requires a bearer token on every Actuator endpoint but health (for load balancers and orchestrators). */
public class ActuatorGuard extends OncePerRequestFilter {

    private final TokenService tokens;

    public ActuatorGuard(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            tokens.authenticate(request.getHeader("Authorization"));
        } catch (Problem problem) {
            ServletProblem.write(request, response, problem);
            return;
        }
        chain.doFilter(request, response);
    }
}
