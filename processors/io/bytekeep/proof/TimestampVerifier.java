package io.bytekeep.proof;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Checks an RFC 3161 timestamp token against the configured TSA certificates: the token's signer certificate is one
 * of them or chains to one of them (PKIX, at the token's time), the CMS signature is valid, the signer certificate is
 * a critical timeStamping one (BouncyCastle's token validation), and the message imprint is the hash of the data.
 */
public final class TimestampVerifier {

    private final List<X509Certificate> trusted;
    private final Set<TrustAnchor> anchors;

    public TimestampVerifier(List<X509Certificate> trusted) {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted TSA or CA certificate is needed");
        }
        this.trusted = List.copyOf(trusted);
        this.anchors = trusted.stream().map(cert -> new TrustAnchor(cert, null)).collect(Collectors.toSet());
    }

    /** The certificates (PEM or DER, one or more) in {@code file}: the TSA's own certificate or its CA's. */
    public static TimestampVerifier fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + file);
            }
            return new TimestampVerifier(certificates);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TSA certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    public static TimeStampToken parseToken(String base64) {
        try {
            return new TimeStampToken(ContentInfo.getInstance(Base64.getDecoder().decode(base64)));
        } catch (IOException | TSPException | RuntimeException e) {
            throw new TimestampException("not a timestamp token: " + e.getMessage(), e);
        }
    }

    /** Throws {@link TimestampException} unless {@code token} is a valid timestamp of {@code data} by a trusted TSA. */
    public void verify(TimeStampToken token, byte[] data) {
        checkImprint(token, data);
        X509Certificate signer = trustedSigner(token);
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
        } catch (TSPException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new TimestampException("timestamp token signature does not verify: " + e.getMessage(), e);
        }
    }

    private static void checkImprint(TimeStampToken token, byte[] data) {
        var info = token.getTimeStampInfo();
        String algorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(info.getHashAlgorithm());
        try {
            byte[] expected = MessageDigest.getInstance(algorithm).digest(data);
            if (!MessageDigest.isEqual(expected, info.getMessageImprintDigest())) {
                throw new TimestampException("timestamp token is not over this data (message imprint differs)");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new TimestampException("timestamp token uses an unknown imprint algorithm " + algorithm, e);
        }
    }

    private X509Certificate trustedSigner(TimeStampToken token) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try {
            List<X509Certificate> included = new ArrayList<>();
            for (X509CertificateHolder holder : token.getCertificates().getMatches(null)) {
                included.add(converter.getCertificate(holder));
            }
            X509Certificate signer = findSigner(token, included);
            if (trusted.contains(signer)) {
                return signer;
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(token.getTimeStampInfo().getGenTime());
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(included)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
            return signer;
        } catch (GeneralSecurityException e) {
            throw new TimestampException("timestamp token is not signed by the configured TSA: " + e.getMessage(), e);
        }
    }

    private X509Certificate findSigner(TimeStampToken token, Collection<X509Certificate> included) throws GeneralSecurityException {
        List<X509Certificate> candidates = new ArrayList<>(included);
        candidates.addAll(trusted);
        for (X509Certificate candidate : candidates) {
            try {
                if (token.getSID().match(new X509CertificateHolder(candidate.getEncoded()))) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
        }
        throw new GeneralSecurityException("the signer's certificate is neither in the token nor configured");
    }
}
