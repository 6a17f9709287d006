package io.bytekeep.platform.edge;

import java.io.IOException;

import io.bytekeep.platform.Problem;

/** A request body the edge stopped reading: too large, too slow or stalled. Carries the answer the client gets. */
public final class BodyRefused extends IOException {

    private final transient Problem problem;

    public BodyRefused(Problem problem) {
        // the problem as the cause: where the body is read inside a route, the route's problem answer finds it
        super(problem.detail(), problem);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
