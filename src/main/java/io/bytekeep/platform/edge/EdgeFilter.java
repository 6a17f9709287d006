package io.bytekeep.platform.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.security.TokenService;
import io.bytekeep.platform.web.ServletProblem;

/**
 * The edge in front of every route, Camel's and Actuator's: authentication and the admin role per {@link EdgePolicy},
 * then the declared body size, then a place in the request's lane, all before a byte of the body is read; the body
 * itself is then read through {@link GuardedBody}. The authenticated caller travels on the request to the routes.
 */
public final class EdgeFilter extends OncePerRequestFilter {

    private static final long SMALL_BODY = 64 * 1024;

    private final EdgePolicy policy;
    private final TokenService tokens;
    private final Admission admission;
    private final long minBytesPerSecond;
    private final long graceNanos;
    private final long retryAfterSeconds;
    private final LongSupplier nanoTime;

    public EdgeFilter(EdgePolicy policy, TokenService tokens, Admission admission, EdgeProperties properties,
                      LongSupplier nanoTime) {
        this.policy = policy;
        this.tokens = tokens;
        this.admission = admission;
        this.minBytesPerSecond = properties.minBodyRate().toBytes();
        this.graceNanos = properties.bodyRateGrace().toNanos();
        this.retryAfterSeconds = properties.retryAfter().toSeconds();
        this.nanoTime = nanoTime;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // answers carry tokens, presigned URLs and evidence: no cache keeps them, no browser guesses their type
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        EdgePolicy.Rule rule = policy.classify(request.getMethod(), pathOf(request), request.getContentType());
        Caller caller;
        try {
            caller = admit(request, rule);
        } catch (Problem refused) {
            if (ConsoleSession.sendsToLogin(request, rule, refused)) {
                response.sendRedirect(request.getContextPath() + ConsoleSession.LOGIN_PATH);
                return;
            }
            refuse(request, response, refused);
            return;
        }
        if (!admission.tryEnter(rule.lane())) {
            refuse(request, response, Problem.overloaded("Bytekeep is at capacity for this kind of request; retry in "
                    + retryAfterSeconds + " s", retryAfterSeconds));
            return;
        }
        boolean latencyCounts = latencyCounts(request);
        long arrival = arrivalOf(request);
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            if (!left.compareAndSet(false, true)) {
                return;
            }
            if (latencyCounts) {
                admission.leave(rule.lane(), arrival);
            } else {
                admission.leave(rule.lane());
            }
        };
        try {
            chain.doFilter(new EdgeRequest(request, caller, rule.bodyBudget()), response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new LeaveOnComplete(leave));
            } else {
                leave.run();
            }
        }
    }

    /**
     * Whether the answer's latency tells how busy the service is: not for a large or streamed body, whose time is the
     * client's and the size's.
     */
    private static boolean latencyCounts(HttpServletRequest request) {
        return request.getContentLengthLong() <= SMALL_BODY && request.getHeader("Transfer-Encoding") == null;
    }

    private long arrivalOf(HttpServletRequest request) {
        return request.getAttribute(ArrivalValve.ATTRIBUTE) instanceof Long arrival && arrival != ArrivalValve.UNKNOWN
                ? arrival : nanoTime.getAsLong();
    }

    /**
     * Answers without reading the body. The connection then closes ({@link UnreadBodyValve}); saying so lets the
     * client open a new one for its next request instead of sending it into the closing one.
     */
    static void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
        ServletProblem.write(request, response, problem);
    }

    /** The caller per the rule's access (null for a public path without a token), after the checks of the headers. */
    private Caller admit(HttpServletRequest request, EdgePolicy.Rule rule) {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw Problem.unsupportedMediaType("request bodies are not decoded: send them without Content-Encoding");
        }
        Caller caller = switch (rule.access()) {
            case PUBLIC -> optionalCaller(request);
            case TOKEN -> tokens.authenticate(request.getHeader("Authorization"));
            case ADMIN -> {
                Caller admin = tokens.authenticate(ConsoleSession.authorization(request, rule));
                if (!admin.roles().contains("admin")) {
                    throw Problem.forbidden("this endpoint needs the admin role");
                }
                yield admin;
            }
        };
        long declared = request.getContentLengthLong();
        if (declared > rule.bodyBudget()) {
            throw Problem.payloadTooLarge("the body is " + declared + " bytes; this endpoint's limit is "
                    + rule.bodyBudget());
        }
        return caller;
    }

    /** On a public path a valid token is optional: it makes the caller known (Actuator shows admins health details). */
    private Caller optionalCaller(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        try {
            return tokens.authenticate(authorization);
        } catch (Problem invalid) {
            return null;
        }
    }

    /** The path the servlet container matched: decoded, normalised, without path parameters or the context path. */
    static String pathOf(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    /** The request as the routes see it: its caller as attribute and principal, its body guarded. */
    private final class EdgeRequest extends HttpServletRequestWrapper {

        private final Caller caller;
        private final long budget;
        private ServletInputStream body;

        EdgeRequest(HttpServletRequest request, Caller caller, long budget) {
            super(request);
            this.caller = caller;
            this.budget = budget;
            if (caller != null) {
                request.setAttribute(ExchangeProperties.CALLER, caller);
            }
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new GuardedBody(super.getInputStream(), budget, minBytesPerSecond, graceNanos, nanoTime);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public Principal getUserPrincipal() {
            return caller == null ? null : caller::username;
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller != null && caller.roles().contains(role);
        }
    }

    private record LeaveOnComplete(Runnable leave) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            leave.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
