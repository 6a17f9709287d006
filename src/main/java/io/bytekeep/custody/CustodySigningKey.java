package io.bytekeep.custody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.custody.chain.LinkSignatures;

/**
 * Bytekeep's custody signing key (link 0 of every chain): configured as PKCS#8 PEM text or a file path; in the
 * embedded default generated on first start under {@code <data-dir>/custody/}, its public key beside it. Without
 * either, the start-up stops: production must give it (BYTEKEEP_CUSTODY_SIGNING_KEY).
 */
final class CustodySigningKey {

    static final String GENERATED_KEY = "custody-signing-key.pem";
    static final String GENERATED_PUBLIC_KEY = "custody-signing-key.pub.pem";
    private static final Logger LOG = LoggerFactory.getLogger(CustodySigningKey.class);

    private CustodySigningKey() {
    }

    static KeyPair load(CustodyChainProperties.Chain chain, boolean generate, Path dataDir) {
        PrivateKey key;
        if (chain.signingKeyPem() != null && !chain.signingKeyPem().isBlank()) {
            key = CustodyKeys.privateKey(CustodyParties.pem(chain.signingKeyPem()));
        } else if (generate) {
            key = generated(chain.signingAlgorithm(), dataDir.resolve("custody"));
        } else {
            throw new IllegalStateException("no custody signing key: set BYTEKEEP_CUSTODY_SIGNING_KEY "
                    + "(bytekeep.custody.chain.signing-key-pem: an Ed25519 or ECDSA P-256 PKCS#8 PEM text or file path)");
        }
        LinkSignatures.algorithm(key);
        return new KeyPair(CustodyKeys.publicKeyOf(key), key);
    }

    private static PrivateKey generated(String algorithm, Path dir) {
        Path file = dir.resolve(GENERATED_KEY);
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(dir);
                KeyPair pair = CustodyKeys.generate(algorithm.equals("ECDSA_P256") ? "P-256" : "Ed25519");
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.writeString(file, CustodyKeys.toPem(pair.getPrivate()));
                Files.writeString(dir.resolve(GENERATED_PUBLIC_KEY), CustodyKeys.toPem(pair.getPublic()));
                LOG.info("Generated a custody signing key for the embedded default in {}", file);
            }
            return CustodyKeys.privateKey(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the custody signing key " + file, e);
        }
    }
}
