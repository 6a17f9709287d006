package io.bytekeep.platform.security;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.FormBody;

/** Route step for {@code POST /token}: the OAuth2 password grant of Bytes. */
public final class TokenIssuer implements Processor {

    private final TokenService tokens;
    private final LoginThrottle throttle;

    public TokenIssuer(TokenService tokens, LoginThrottle throttle) {
        this.tokens = tokens;
        this.throttle = throttle;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Map<String, String> form = FormBody.read(exchange);
        String username = form.get("username");
        String password = form.get("password");
        if (username == null || password == null) {
            throw Problem.unprocessable("username and password are required form fields");
        }
        TokenService.IssuedToken token = login(username, password, clientAddress(exchange));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token.accessToken());
        response.put("token_type", "bearer");
        response.put("expires_at", pythonIsoFormat(token.expiresAt()));
        exchange.getMessage().setBody(response);
    }

    /**
     * A token for the user name and password, within the throttle of failed logins from that client address: the one
     * way to log in, for {@code POST /token} and the web console's login form alike.
     */
    public TokenService.IssuedToken login(String username, String password, String address) {
        throttle.check(username, address);
        TokenService.IssuedToken token;
        try {
            token = tokens.issue(username, password);
        } catch (Problem refused) {
            throttle.failed(username, address);
            throw refused;
        }
        throttle.succeeded(username, address);
        return token;
    }

    /** The client's address as the servlet container sees it (behind a proxy: server.forward-headers-strategy). */
    private static String clientAddress(Exchange exchange) {
        return exchange.getIn() instanceof PlatformHttpMessage http && http.getRequest() != null
                ? http.getRequest().getRemoteAddr() : "unknown";
    }

    /** What Bytes answers, Python's {@code datetime.isoformat()} of a UTC time: microseconds (none when zero), {@code +00:00}. */
    static String pythonIsoFormat(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return utc.format(utc.getNano() == 0 ? WHOLE_SECONDS : MICROSECONDS) + "+00:00";
    }

    private static final DateTimeFormatter WHOLE_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROSECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
}
