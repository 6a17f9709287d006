package io.bytekeep.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The fixed test keys of src/test/resources/test-config/trust (Ed25519 top-level roles, ECDSA bins as the seed). */
public final class TestTrustKeys {

    public static final Path DIR = Path.of("src/test/resources/test-config/trust");

    private TestTrustKeys() {
    }

    public static TrustSigner signer(String name) {
        try {
            return TrustSigner.fromPem(Files.readString(DIR.resolve(name + ".pem")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrustRepository.Keys keys() {
        return new TrustRepository.Keys(signer("root"), signer("targets"), signer("snapshot"), signer("timestamp"),
                signer("bins"), signer("bin"));
    }
}
