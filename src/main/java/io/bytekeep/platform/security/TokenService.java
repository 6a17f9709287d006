package io.bytekeep.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.Problem;

/**
 * Issues and checks the bearer tokens of the Bytes API: HS256 JWTs with {@code sub} and {@code exp}, signed
 * with the configured secret. Organisations and roles are looked up at every request, so a change in the
 * configuration applies to tokens already issued. A token whose signature checked out is remembered (by its SHA-256,
 * so that no lookup compares a caller's bytes with a valid token's) with its claims; expiry, lifetime, {@code nbf} and
 * the user are checked again at every request.
 */
public final class TokenService {

    public record IssuedToken(String accessToken, Instant expiresAt) {
    }

    /**
     * The header Bytes' PyJWT writes, byte for byte ({@code alg} before {@code typ}): OpenKAT's own Bytes tests
     * compare the token's first segment. Nimbus keeps a parsed header's encoding when it signs.
     */
    private static final JWSHeader BYTES_HEADER = bytesHeader();
    static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(60);

    private final Map<String, BytekeepProperties.User> users;
    private final MACSigner signer;
    private final MACVerifier verifier;
    private final java.time.Duration ttl;
    private final Clock clock;
    private final byte[] unknownUserPassword = digest("no user has this password " + java.util.UUID.randomUUID());
    private final Cache<String, Claims> verified = Caffeine.newBuilder().maximumSize(VERIFIED_TOKENS).build();

    /** Tokens whose signature was checked, remembered: at 200 bytes each, about 1 MB */
    static final int VERIFIED_TOKENS = 4096;

    /** What a token with a valid signature says; checked against the clock and the users at every request. */
    private record Claims(String subject, Date expiry, Date notBefore) {
    }

    public TokenService(BytekeepProperties.Security security, Clock clock) {
        this.users = security.users().stream()
                .collect(Collectors.toUnmodifiableMap(BytekeepProperties.User::username, Function.identity()));
        byte[] secret = security.jwtSecret().getBytes(StandardCharsets.UTF_8);
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("bytekeep.security.jwt-secret is not usable for HS256: " + e.getMessage(), e);
        }
        this.ttl = security.tokenTtl();
        this.clock = clock;
    }

    /** OAuth2 password grant. Compares in constant time and takes the same time for unknown users. */
    public IssuedToken issue(String username, String password) {
        BytekeepProperties.User user = username == null ? null : users.get(username);
        byte[] expected = user != null ? digest(user.password()) : unknownUserPassword;
        boolean matches = MessageDigest.isEqual(expected, digest(password == null ? "" : password));
        if (user == null || !matches) {
            throw Problem.unauthorized("Incorrect username or password");
        }
        Instant expiresAt = clock.instant().plus(ttl);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(username)
                .expirationTime(Date.from(expiresAt))
                .issueTime(Date.from(clock.instant()))
                .build();
        SignedJWT jwt = new SignedJWT(BYTES_HEADER, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), expiresAt);
    }

    private static JWSHeader bytesHeader() {
        try {
            return JWSHeader.parse(Base64URL.encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks an {@code Authorization} header value and returns the caller it stands for. */
    public Caller authenticate(String authorizationHeader) {
        String token = bearerToken(authorizationHeader)
                .orElseThrow(() -> Problem.unauthorized("Not authenticated: send 'Authorization: Bearer <token>' from POST /token"));
        String key = HexFormat.of().formatHex(digest(token));
        Claims claims = verified.getIfPresent(key);
        if (claims == null) {
            claims = verify(token);
            verified.put(key, claims);
        }
        Instant now = clock.instant();
        if (claims.expiry() == null || !now.isBefore(claims.expiry().toInstant())) {
            throw Problem.unauthorized("Token has expired");
        }
        // a token signed with the secret but living longer than this service issues them (another issuer's, or
        // from before token-ttl was lowered) is not taken; clocks of instances may differ by CLOCK_SKEW
        if (claims.expiry().toInstant().isAfter(now.plus(ttl).plus(CLOCK_SKEW))) {
            throw invalid();
        }
        if (claims.notBefore() != null && now.plus(CLOCK_SKEW).isBefore(claims.notBefore().toInstant())) {
            throw Problem.unauthorized("Token is not valid yet");
        }
        BytekeepProperties.User user = claims.subject() == null ? null : users.get(claims.subject());
        if (user == null) {
            throw invalid();
        }
        return new Caller(user.username(), new LinkedHashSet<>(user.organizations()), new LinkedHashSet<>(user.roles()));
    }

    /** The claims of a token whose HS256 signature is valid. */
    private Claims verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                throw invalid();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return new Claims(claims.getSubject(), claims.getExpirationTime(), claims.getNotBeforeTime());
        } catch (ParseException | JOSEException | ClassCastException | IllegalStateException e) {
            throw invalid();
        }
    }

    private static Optional<String> bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Problem invalid() {
        return Problem.unauthorized("Could not validate credentials");
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
