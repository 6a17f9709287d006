package io.bytekeep.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A real RFC 3161 timestamp authority in this process (BouncyCastle's token and response generators over HTTP on
 * localhost), with a freshly generated CA and a TSA certificate it issued (extendedKeyUsage timeStamping, critical,
 * as RFC 3161 and {@code openssl ts -verify} require). For tests, benchmarks and demonstrations, never a deployment's
 * witness: its keys live only as long as the process. It can be stopped and started again on the same port.
 */
public class LocalTimestampAuthority implements AutoCloseable {

    /** A policy id of this test TSA (TSAs name the policy they timestamp under). */
    private static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.3161.1");

    private final X509Certificate caCertificate;
    private final X509Certificate tsaCertificate;
    private final TimeStampResponseGenerator responses;
    private final AtomicLong serialNumbers = new AtomicLong();
    private HttpServer server;
    private int port;

    public LocalTimestampAuthority() {
        try {
            KeyPair caKeys = ecKeyPair();
            KeyPair tsaKeys = ecKeyPair();
            X500Name caName = new X500Name("CN=Bytekeep local test CA");
            this.caCertificate = certificate(caName, caName, caKeys, caKeys.getPrivate(), true);
            this.tsaCertificate = certificate(caName, new X500Name("CN=Bytekeep local test TSA"), tsaKeys, caKeys.getPrivate(), false);
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                    new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKeys.getPrivate(), tsaCertificate),
                    new JcaDigestCalculatorProviderBuilder().build().get(
                            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
                    POLICY);
            tokens.addCertificates(new JcaCertStore(List.of(tsaCertificate)));
            this.responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        } catch (GeneralSecurityException | TSPException | org.bouncycastle.operator.OperatorCreationException
                 | IOException e) {
            throw new IllegalStateException("cannot set up the local TSA", e);
        }
    }

    /** Starts on a free port the first time, on the same port after {@link #stop()}. */
    public synchronized LocalTimestampAuthority start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        server.createContext("/tsr", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized URI url() {
        if (port == 0) {
            throw new IllegalStateException("start the TSA first");
        }
        return URI.create("http://127.0.0.1:" + port + "/tsr");
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate tsaCertificate() {
        return tsaCertificate;
    }

    public static String pem(X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The DER reply to a DER request; subclasses in tests answer otherwise to show the client's checks. */
    protected byte[] answer(byte[] request) throws IOException, TSPException {
        return granted(new TimeStampRequest(request));
    }

    protected final byte[] granted(TimeStampRequest request) throws IOException, TSPException {
        return responses.generate(request, BigInteger.valueOf(serialNumbers.incrementAndGet()), new Date()).getEncoded();
    }

    protected final byte[] failed(int status, int failInfo, String text) throws IOException, TSPException {
        return responses.generateFailResponse(status, failInfo, text).getEncoded();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] reply;
            int status = 200;
            try {
                reply = answer(body.readNBytes(64 * 1024));
            } catch (IOException | TSPException | RuntimeException e) {
                reply = ("bad request: " + e.getMessage()).getBytes();
                status = 400;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
            exchange.sendResponseHeaders(status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey issuerKey,
                                               boolean ca) throws GeneralSecurityException, IOException,
            org.bouncycastle.operator.OperatorCreationException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new java.security.SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(3650))), subject, subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        }
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
