package io.bytekeep.proof;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;
import io.bytekeep.proof.TestTimestampAuthority.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RFC 3161 client against a real TSA in this process: a token is returned only when every check passes. */
class TimestampClientTest {

    private static final byte[] DATA = "sha512:0123abcd".getBytes(StandardCharsets.UTF_8);
    private static final TestTimestampAuthority TSA = new TestTimestampAuthority();

    @BeforeAll
    static void startTsa() {
        TSA.start();
    }

    @AfterAll
    static void stopTsa() {
        TSA.stop();
    }

    @BeforeEach
    void grant() {
        TSA.answering(Reply.GRANTED);
    }

    @Test
    void aGrantedReplyGivesAVerifiedTokenOverTheImprintOfTheData() throws Exception {
        for (String algorithm : List.of("SHA256", "SHA512")) {
            TimeStampToken token = client(algorithm, trustingCa()).timestamp(DATA);

            String javaName = algorithm.replace("SHA", "SHA-");
            assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(MessageDigest.getInstance(javaName).digest(DATA));
            assertThat(token.getTimeStampInfo().getNonce()).isNotNull();
            assertThat(token.getCertificates().getMatches(null)).hasSize(1);
        }
    }

    @Test
    void theTsaCertificateItselfMayBeTheTrustedOne() {
        TimestampVerifier trustingTsa = new TimestampVerifier(List.of(TSA.tsaCertificate()));
        assertThat(client("SHA256", trustingTsa).timestamp(DATA)).isNotNull();
    }

    @Test
    void aReplyToAnotherNonceIsRefused() {
        TSA.answering(Reply.WRONG_NONCE);
        assertThatThrownBy(() -> client("SHA256", trustingCa()).timestamp(DATA))
                .isInstanceOf(TimestampException.class).hasMessageContaining("nonce");
    }

    @Test
    void aReplyOverAnotherImprintIsRefused() {
        TSA.answering(Reply.WRONG_IMPRINT);
        assertThatThrownBy(() -> client("SHA512", trustingCa()).timestamp(DATA))
                .isInstanceOf(TimestampException.class).hasMessageContaining("imprint");
    }

    @Test
    void aTokenOfAnotherTsaIsRefused() {
        TimestampVerifier trustingAnother = new TimestampVerifier(List.of(new LocalTimestampAuthority().caCertificate()));
        assertThatThrownBy(() -> client("SHA256", trustingAnother).timestamp(DATA))
                .isInstanceOf(TimestampException.class).hasMessageContaining("not signed by the configured TSA");
    }

    @Test
    void aRejectionIsRefused() {
        TSA.answering(Reply.REJECTED);
        assertThatThrownBy(() -> client("SHA256", trustingCa()).timestamp(DATA))
                .isInstanceOf(TimestampException.class).hasMessageContaining("did not grant").hasMessageContaining("test TSA rejects");
    }

    @Test
    void garbageIsRefused() {
        TSA.answering(Reply.GARBAGE);
        assertThatThrownBy(() -> client("SHA256", trustingCa()).timestamp(DATA))
                .isInstanceOf(TimestampException.class).hasMessageContaining("not a timestamp reply");
    }

    @Test
    void aTsaThatIsDownIsReportedAsUnreachable() {
        TimestampClient client = client("SHA256", trustingCa());
        TSA.stop();
        try {
            assertThatThrownBy(() -> client.timestamp(DATA)).isInstanceOf(TimestampException.class).hasMessageContaining("not reachable");
        } finally {
            TSA.start();
        }
        assertThat(client.timestamp(DATA)).isNotNull();
    }

    @Test
    void theSingleFileRepositoryStoresAVerifiedTokenOfTheSecureHashString() {
        Rfc3161HashRepository repository = new Rfc3161HashRepository(client("SHA512", trustingCa()));
        String link = repository.store("sha512:0123abcd");

        assertThat(repository.verify(link, "sha512:0123abcd")).isTrue();
        assertThat(repository.verify(link, "sha512:0123abce")).isFalse();
        assertThat(repository.verify(Base64.getEncoder().encodeToString("junk".getBytes()), "sha512:0123abcd")).isFalse();
        assertThat(repository.signingProviderUrl()).contains(TSA.url().toString());

        TSA.answering(Reply.GARBAGE);
        assertThatThrownBy(() -> repository.store("sha512:0123abcd")).isInstanceOf(Problem.class)
                .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(503));
    }

    private static TimestampVerifier trustingCa() {
        return new TimestampVerifier(List.of(TSA.caCertificate()));
    }

    private static TimestampClient client(String algorithm, TimestampVerifier verifier) {
        return new TimestampClient(TSA.url(), algorithm, verifier, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
