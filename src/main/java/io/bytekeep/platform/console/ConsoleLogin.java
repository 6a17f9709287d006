package io.bytekeep.platform.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.util.HtmlUtils;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.edge.ConsoleSession;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.security.TokenIssuer;
import io.bytekeep.platform.security.TokenService;

/**
 * The web console's login form ({@code /console/login}) and logout ({@code /console/logout}): the user name and
 * password of {@code POST /token}, through the same throttle; an admin gets the token in the console's cookie
 * ({@link ConsoleSession}) and is sent to Hawtio's Camel view.
 */
final class ConsoleLogin extends HttpServlet {

    static final String CONSOLE_HOME = "/actuator/hawtio/camel/routes";

    private final transient TokenIssuer issuer;
    private final transient TokenService tokens;
    private final transient Clock clock;

    ConsoleLogin(TokenIssuer issuer, TokenService tokens, Clock clock) {
        this.issuer = issuer;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isLogout(request)) {
            logout(request, response);
            return;
        }
        page(response, HttpServletResponse.SC_OK, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isLogout(request)) {
            logout(request, response);
            return;
        }
        String username = request.getParameter("username");
        String password = request.getParameter("password");
        if (username == null || password == null || username.isEmpty()) {
            page(response, 422, "Enter a user name and a password.");
            return;
        }
        try {
            TokenService.IssuedToken token = issuer.login(username, password, request.getRemoteAddr());
            Caller caller = tokens.authenticate("Bearer " + token.accessToken());
            if (!caller.roles().contains("admin")) {
                page(response, HttpServletResponse.SC_FORBIDDEN, "The console is for users with the admin role.");
                return;
            }
            Duration lifetime = Duration.between(clock.instant(), token.expiresAt());
            response.addHeader(HttpHeaders.SET_COOKIE,
                    ConsoleSession.cookie(request, token.accessToken(), lifetime).toString());
            seeOther(request, response, CONSOLE_HOME);
        } catch (Problem refused) {
            refused.headers().forEach(response::setHeader);
            page(response, refused.status(), refused.detail());
        }
    }

    private static boolean isLogout(HttpServletRequest request) {
        return request.getServletPath().equals(ConsoleSession.LOGOUT_PATH);
    }

    private static void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleSession.cleared(request).toString());
        seeOther(request, response, ConsoleSession.LOGIN_PATH);
    }

    private static void seeOther(HttpServletRequest request, HttpServletResponse response, String path) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader(HttpHeaders.LOCATION, request.getContextPath() + path);
    }

    private static void page(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        // no script, no style from elsewhere, and never shown inside another site's frame
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                + "frame-ancestors 'none'");
        String notice = message == null ? "" : "<p role=\"alert\">" + HtmlUtils.htmlEscape(message) + "</p>";
        response.getOutputStream().write(PAGE.replace("{notice}", notice).getBytes(StandardCharsets.UTF_8));
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Bytekeep console: log in</title>
            <style>body{font-family:sans-serif;max-width:22em;margin:4em auto}label,input,button{display:block;\
            width:100%;margin:.4em 0}p[role=alert]{color:#a00}</style></head>
            <body><h1>Bytekeep console</h1>{notice}
            <form method="post" action="login">
            <label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
            <label for="password">Password</label><input id="password" name="password" type="password"
            autocomplete="current-password" required>
            <button type="submit">Log in</button></form>
            <p>For users with the admin role: the same user names and passwords as <code>POST /token</code>.</p>
            </body></html>
            """;
}
