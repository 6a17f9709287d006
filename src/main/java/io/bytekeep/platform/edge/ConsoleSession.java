package io.bytekeep.platform.edge;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseCookie;

import io.bytekeep.platform.Problem;

/**
 * The web console's session: the bearer token of {@code POST /token}, issued by the console's login form and carried
 * in an HttpOnly, SameSite=Strict cookie that only the console's own paths read. Same users, same expiry, same admin
 * check as every other admin call: a browser cannot set an {@code Authorization} header on the pages it opens.
 */
public final class ConsoleSession {

    public static final String COOKIE = "bytekeep_console";
    public static final String LOGIN_PATH = "/console/login";
    public static final String LOGOUT_PATH = "/console/logout";
    /** Hawtio's pages and the Jolokia bridge they read JMX through. */
    static final List<String> CONSOLE_PATHS = List.of("/actuator/hawtio", "/actuator/jolokia");
    static final Set<String> LOGIN_PATHS = Set.of(LOGIN_PATH, LOGOUT_PATH);
    private static final String COOKIE_PATH = "/actuator";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private ConsoleSession() {
    }

    /** The cookie that carries a freshly issued token for as long as the token lives. */
    public static ResponseCookie cookie(HttpServletRequest request, String token, Duration lifetime) {
        return base(request, token).maxAge(lifetime).build();
    }

    /** The cookie that makes the browser forget the session. */
    public static ResponseCookie cleared(HttpServletRequest request) {
        return base(request, "").maxAge(0).build();
    }

    private static ResponseCookie.ResponseCookieBuilder base(HttpServletRequest request, String value) {
        return ResponseCookie.from(COOKIE, value).httpOnly(true).sameSite("Strict").secure(request.isSecure())
                .path(request.getContextPath() + COOKIE_PATH);
    }

    /**
     * The {@code Authorization} header the edge checks: the request's own, else on a console path the session
     * cookie's token. The cookie is refused for a request a browser says another site made ({@code Sec-Fetch-Site};
     * Jolokia runs operations on GET too), and for a state-changing request that names another origin.
     */
    static String authorization(HttpServletRequest request, EdgePolicy.Rule rule) {
        String header = request.getHeader("Authorization");
        if (header != null || !rule.console()) {
            return header;
        }
        Optional<String> token = token(request);
        if (token.isPresent() && (!fromThisSite(request)
                || !SAFE_METHODS.contains(request.getMethod()) && !sameOrigin(request))) {
            throw Problem.forbidden("the console's session is not accepted from another site");
        }
        return token.map("Bearer "::concat).orElse(null);
    }

    /** No {@code Sec-Fetch-Site} (no browser, or an older one), or a request of this origin or typed in. */
    private static boolean fromThisSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    /** A browser that opens a console page without a session is sent to the login form instead of a problem. */
    static boolean sendsToLogin(HttpServletRequest request, EdgePolicy.Rule rule, Problem refused) {
        String accept = request.getHeader("Accept");
        return rule.console() && refused.status() == 401 && request.getMethod().equals("GET")
                && accept != null && accept.contains("text/html");
    }

    private static Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(COOKIE) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** No Origin (a same-origin request of an older browser, or no browser) or this service's own. */
    private static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return uri.getScheme().equals(request.getScheme()) && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port == request.getServerPort();
    }
}
