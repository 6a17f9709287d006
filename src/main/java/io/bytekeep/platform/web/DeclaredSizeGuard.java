package io.bytekeep.platform.web;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.bytekeep.platform.Problem;

/**
 * Refuses a body whose declared Content-Length is over the limit before any of it is read: the REST consumer
 * spools a body completely before the route runs, so the route's own check would come after the disk filled.
 */
public class DeclaredSizeGuard extends OncePerRequestFilter {

    private final long maxJsonBytes;
    private final long maxStreamBytes;

    public DeclaredSizeGuard(long maxJsonBytes, long maxStreamBytes) {
        this.maxJsonBytes = maxJsonBytes;
        this.maxStreamBytes = maxStreamBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        long limit = contentType.startsWith("application/octet-stream") ? maxStreamBytes : maxJsonBytes;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            ServletProblem.write(request, response,
                    Problem.payloadTooLarge("the body is " + declared + " bytes; the limit is " + limit));
            return;
        }
        chain.doFilter(request, response);
    }
}
