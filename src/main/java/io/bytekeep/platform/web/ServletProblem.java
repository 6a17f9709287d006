package io.bytekeep.platform.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.bytekeep.platform.Problem;

/** A problem answered by a servlet filter, before a request reaches the routes: same shape as the routes' answers. */
public final class ServletProblem {

    private static final ApiJson JSON = new ApiJson();

    private ServletProblem() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType("application/problem+json");
        problem.headers().forEach(response::setHeader);
        JSON.mapper().writeValue(response.getOutputStream(), problem.toBody(request.getRequestURI()));
    }
}
