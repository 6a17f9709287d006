package io.bytekeep.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {

    private static final String SECRET = "unit-test-signing-key-0123456789abcdef0123";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final BytekeepProperties.Security security = new BytekeepProperties.Security(SECRET, Duration.ofMinutes(15), List.of(
            new BytekeepProperties.User("alice", "pw-alice", List.of("org-a"), List.of()),
            new BytekeepProperties.User("root", "pw-root", List.of("*"), List.of("admin"))));

    @Test
    void issuedTokenAuthenticatesWithTheUsersOrganisations() {
        TokenService tokens = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC));
        TokenService.IssuedToken token = tokens.issue("alice", "pw-alice");

        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        Caller caller = tokens.authenticate("Bearer " + token.accessToken());
        assertThat(caller.username()).isEqualTo("alice");
        assertThat(caller.canSee("org-a")).isTrue();
        assertThat(caller.canSee("org-b")).isFalse();
        assertThat(caller.scope(List.of())).containsExactly("org-a");
        assertThat(caller.scope(List.of("org-a", "org-b"))).containsExactly("org-a");
    }

    @Test
    void theWildcardSeesEveryOrganisation() {
        TokenService tokens = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC));
        Caller root = tokens.authenticate("bearer " + tokens.issue("root", "pw-root").accessToken());
        assertThat(root.seesAllOrganizations()).isTrue();
        assertThat(root.scope(List.of())).isNull();
        assertThat(root.scope(List.of("x"))).containsExactly("x");
    }

    @Test
    void wrongPasswordOrUserIs401() {
        TokenService tokens = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> tokens.issue("alice", "pw-root")).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThatThrownBy(() -> tokens.issue("eve", "pw-alice")).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThatThrownBy(() -> tokens.issue("alice", null)).isInstanceOf(Problem.class);
    }

    @Test
    void tokensExpire() {
        String token = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC)).issue("alice", "pw-alice").accessToken();
        TokenService later = new TokenService(security, Clock.fixed(NOW.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.authenticate("Bearer " + token)).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.detail()).contains("expired"));
    }

    @Test
    void tokensOfAnotherSecretAreRejected() {
        BytekeepProperties.Security other = new BytekeepProperties.Security("another-signing-key-0123456789abcdef012345",
                Duration.ofMinutes(15), security.users());
        String token = new TokenService(other, Clock.fixed(NOW, ZoneOffset.UTC)).issue("alice", "pw-alice").accessToken();
        TokenService tokens = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> tokens.authenticate("Bearer " + token)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> tokens.authenticate(null)).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> tokens.authenticate("Basic YWxpY2U6cHc=")).isInstanceOf(Problem.class);
    }

    /** Tokens signed with the right secret but with claims this service never issues (issue 17). */
    @Test
    void claimsAreChecked() throws Exception {
        TokenService tokens = new TokenService(security, Clock.fixed(NOW, ZoneOffset.UTC));
        java.util.function.Function<com.nimbusds.jwt.JWTClaimsSet, String> signed = claims -> {
            try {
                com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                        new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
                jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET));
                return "Bearer " + jwt.serialize();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        };
        java.util.Date inTenMinutes = java.util.Date.from(NOW.plus(Duration.ofMinutes(10)));
        String withoutSubject = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().expirationTime(inTenMinutes).build());
        String notYet = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice").expirationTime(inTenMinutes)
                .notBeforeTime(java.util.Date.from(NOW.plus(Duration.ofMinutes(5)))).build());
        String forAYear = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice")
                .expirationTime(java.util.Date.from(NOW.plus(Duration.ofDays(365)))).build());
        // Bytes' own tokens (sub and exp, 15 minutes) keep working
        String bytesToken = signed.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice").expirationTime(inTenMinutes).build());

        for (String refused : java.util.List.of(withoutSubject, notYet, forAYear)) {
            assertThatThrownBy(() -> tokens.authenticate(refused))
                    .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
        }
        assertThat(tokens.authenticate(bytesToken).username()).isEqualTo("alice");
    }

    /** Verified tokens are remembered (issue 18: the signature check was 8 % of the CPU past capacity), not trusted. */
    @Test
    void aRememberedTokenIsStillCheckedAgainstTheClockAtEveryRequest() {
        io.bytekeep.support.MutableClock clock = new io.bytekeep.support.MutableClock(NOW);
        TokenService tokens = new TokenService(security, clock);
        String token = "Bearer " + tokens.issue("alice", "pw-alice").accessToken();
        assertThat(tokens.authenticate(token).username()).isEqualTo("alice");
        assertThat(tokens.authenticate(token).username()).isEqualTo("alice");

        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThatThrownBy(() -> tokens.authenticate(tampered)).isInstanceOf(Problem.class);

        clock.advance(Duration.ofMinutes(15));
        assertThatThrownBy(() -> tokens.authenticate(token)).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.detail()).contains("expired"));
    }
}
