package io.bytekeep.proof;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 client: asks the TSA to timestamp the hash of some data (with a fresh nonce and certReq) and returns
 * the token only after the reply passed every check: HTTP 200, status granted, the imprint and nonce of this
 * request, and the token's signature by the configured TSA ({@link TimestampVerifier}).
 */
public final class TimestampClient {

    private static final Map<String, ASN1ObjectIdentifier> IMPRINT_ALGORITHMS = Map.of(
            "SHA256", TSPAlgorithms.SHA256, "SHA512", TSPAlgorithms.SHA512);
    private static final int MAX_REPLY_BYTES = 1 << 20;

    private final URI url;
    private final String imprintAlgorithm;
    private final TimestampVerifier verifier;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    /** @param imprintAlgorithm SHA256 or SHA512: the hash of the data the TSA signs */
    public TimestampClient(URI url, String imprintAlgorithm, TimestampVerifier verifier, Duration connectTimeout,
                           Duration requestTimeout) {
        this.url = url;
        this.imprintAlgorithm = imprintAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
        if (!IMPRINT_ALGORITHMS.containsKey(this.imprintAlgorithm)) {
            throw new IllegalArgumentException("imprint algorithm must be SHA256 or SHA512, was " + imprintAlgorithm);
        }
        this.verifier = verifier;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI url() {
        return url;
    }

    public TimestampVerifier verifier() {
        return verifier;
    }

    public TimeStampToken timestamp(byte[] data) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(IMPRINT_ALGORITHMS.get(imprintAlgorithm), digest(data),
                new BigInteger(64, random));
        TimeStampResponse response = parse(post(request));
        if (response.getStatus() != PKIStatus.GRANTED && response.getStatus() != PKIStatus.GRANTED_WITH_MODS) {
            throw new TimestampException("TSA " + url + " did not grant the timestamp: status " + response.getStatus()
                    + (response.getStatusString() == null ? "" : " (" + response.getStatusString() + ")"));
        }
        try {
            response.validate(request);
        } catch (TSPException e) {
            throw new TimestampException("TSA " + url + " answered another request: " + e.getMessage(), e);
        }
        TimeStampToken token = response.getTimeStampToken();
        verifier.verify(token, data);
        return token;
    }

    private byte[] post(TimeStampRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url)
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] reply = body.readNBytes(MAX_REPLY_BYTES + 1);
                if (response.statusCode() != 200) {
                    throw new TimestampException("TSA " + url + " answered HTTP " + response.statusCode());
                }
                if (reply.length > MAX_REPLY_BYTES) {
                    throw new TimestampException("TSA " + url + " answered more than " + MAX_REPLY_BYTES + " bytes");
                }
                return reply;
            }
        } catch (IOException e) {
            throw new TimestampException("TSA " + url + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimestampException("interrupted while waiting for TSA " + url, e);
        }
    }

    private TimeStampResponse parse(byte[] reply) {
        try {
            return new TimeStampResponse(reply);
        } catch (IOException | TSPException | RuntimeException e) {
            throw new TimestampException("TSA " + url + " answered something that is not a timestamp reply: " + e.getMessage(), e);
        }
    }

    private byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance(imprintAlgorithm.replace("SHA", "SHA-")).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
