package io.bytekeep.platform.security;

import java.io.IOException;
import java.security.Principal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.ServletProblem;

/**
 * Requires a bearer token on every Actuator endpoint but health (for load balancers and orchestrators). On health, a
 * valid token is optional: it makes the caller known to Actuator, which shows admins the details.
 */
public class ActuatorGuard extends OncePerRequestFilter {

    private final TokenService tokens;

    public ActuatorGuard(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isHealth(request)) {
            chain.doFilter(asCaller(request), response);
            return;
        }
        try {
            tokens.authenticate(request.getHeader("Authorization"));
        } catch (Problem problem) {
            ServletProblem.write(request, response, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isHealth(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    private HttpServletRequest asCaller(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return request;
        }
        Caller caller;
        try {
            caller = tokens.authenticate(authorization);
        } catch (Problem invalid) {
            return request;
        }
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return caller::username;
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.roles().contains(role);
            }
        };
    }
}
