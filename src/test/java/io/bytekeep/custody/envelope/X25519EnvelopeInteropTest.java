package io.bytekeep.custody.envelope;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.custody.CustodyKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * X25519 recipients, checked by an implementation that is not Bytekeep's: OpenSSL 3.0 has no X25519 in CMS, so
 * src/test/resources/custody/open_x25519_envelope.py opens the envelope with pyca/cryptography (RFC 8418's X25519,
 * X9.63 KDF over ECC-CMS-SharedInfo, AES key unwrap, AES-GCM) and a BER reader of its own. A missing Python or
 * cryptography package fails the test with how to install it; it is never skipped.
 */
class X25519EnvelopeInteropTest {

    private static final Path SCRIPT = Path.of("src/test/resources/custody/open_x25519_envelope.py");

    @TempDir
    Path dir;

    @Test
    void pythonCryptographyOpensTheX25519RecipientsCopy() throws Exception {
        KeyPair recipient = CustodyKeys.generate("X25519");
        byte[] plain = new byte[1024 * 1024 + 5];
        new Random(11).nextBytes(plain);
        Path envelope = seal(plain, recipient);
        Files.writeString(dir.resolve("key.pem"), CustodyKeys.toPem(recipient.getPrivate()));

        Outcome opened = python(envelope.toString(), "key.pem", "plain.bin");
        assertThat(opened.exitCode()).as(opened.output()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("plain.bin"))).isEqualTo(plain);
    }

    @Test
    void pythonCryptographyRefusesTamperedEnvelopesAndOtherKeys() throws Exception {
        KeyPair recipient = CustodyKeys.generate("X25519");
        Path envelope = seal("secret".getBytes(StandardCharsets.UTF_8), recipient);
        byte[] tampered = Files.readAllBytes(envelope);
        tampered[tampered.length - 6 - 16] ^= 1; // the first byte of the GCM tag
        Files.write(dir.resolve("tampered.der"), tampered);
        Files.writeString(dir.resolve("key.pem"), CustodyKeys.toPem(recipient.getPrivate()));
        Files.writeString(dir.resolve("other.pem"), CustodyKeys.toPem(CustodyKeys.generate("X25519").getPrivate()));

        Outcome refused = python("tampered.der", "key.pem", "tampered.bin");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("InvalidTag");
        assertThat(dir.resolve("tampered.bin")).doesNotExist();
        assertThat(python(envelope.toString(), "other.pem", "other.bin").exitCode()).isNotZero();
    }

    private Path seal(byte[] plain, KeyPair recipient) throws IOException {
        Path envelope = dir.resolve("envelope.der");
        try (OutputStream out = Files.newOutputStream(envelope)) {
            new EnvelopeSealer().seal(List.of(new EnvelopeRecipient("rsa", CustodyKeys.generate("RSA").getPublic()),
                    new EnvelopeRecipient("x", recipient.getPublic()),
                    new EnvelopeRecipient("other-x", CustodyKeys.generate("X25519").getPublic())),
                    new java.io.ByteArrayInputStream(plain), out);
        }
        return envelope;
    }

    private record Outcome(int exitCode, String output) {
    }

    private Outcome python(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(interpreter(), SCRIPT.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** python3 from the PATH, or Debian's, whichever has pyca/cryptography. */
    private String interpreter() throws IOException, InterruptedException {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(List.of(candidate, "-c", "import cryptography.hazmat.primitives.kdf.x963kdf")).exitCode() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        return fail("no python3 with pyca/cryptography; the X25519 interop test opens envelopes with it. "
                + "Install it: apt-get install -y python3-cryptography");
    }

    private Outcome run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
