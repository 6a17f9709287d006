package io.bytekeep.proof;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;

/** The in-process TSA, switchable to the faults a real one can show: garbage, another request's answer, rejection. */
public class TestTimestampAuthority extends LocalTimestampAuthority {

    public enum Reply { GRANTED, GARBAGE, WRONG_NONCE, WRONG_IMPRINT, REJECTED }

    private volatile Reply reply = Reply.GRANTED;

    public TestTimestampAuthority answering(Reply reply) {
        this.reply = reply;
        return this;
    }

    /** Writes the CA certificate as PEM (what an auditor gives openssl -CAfile, and what the app trusts). */
    public Path writeCaCertificate(Path file) throws IOException {
        return Files.writeString(file, pem(caCertificate()));
    }

    @Override
    protected byte[] answer(byte[] body) throws IOException, TSPException {
        TimeStampRequest request = new TimeStampRequest(body);
        return switch (reply) {
            case GRANTED -> granted(request);
            case GARBAGE -> "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.US_ASCII);
            case WRONG_NONCE -> granted(like(request, request.getMessageImprintDigest(), request.getNonce().add(BigInteger.ONE)));
            case WRONG_IMPRINT -> granted(like(request, sha(request, "other data"), request.getNonce()));
            case REJECTED -> failed(PKIStatus.REJECTION, PKIFailureInfo.systemFailure, "test TSA rejects");
        };
    }

    private static TimeStampRequest like(TimeStampRequest request, byte[] imprint, BigInteger nonce) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(request.getCertReq());
        return generator.generate(request.getMessageImprintAlgOID(), imprint, nonce);
    }

    private static byte[] sha(TimeStampRequest request, String data) {
        try {
            String name = request.getMessageImprintDigest().length == 64 ? "SHA-512" : "SHA-256";
            return MessageDigest.getInstance(name).digest(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
