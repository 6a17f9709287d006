package io.bytekeep.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import io.bytekeep.distribution.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;

/** What an auditor does with a proof: the real openssl on the token, docs/verify-proof.py on the inclusion proof. */
final class ProofFiles {

    private static final String FOLD = Path.of("docs/verify-proof.py").toAbsolutePath().toString();

    private ProofFiles() {
    }

    /** openssl ts -verify of the proof's token over {@code timestamped}, trusting only {@code caFile}. */
    static ExternalTool.Outcome opensslVerify(JsonNode proof, byte[] timestamped, Path caFile, Path dir) {
        String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");
        Path token = write(dir.resolve("token.tsr"), Base64.getDecoder().decode(proof.get("timestamp_token").asText()));
        Path data = write(dir.resolve("timestamped.bin"), timestamped);
        return ExternalTool.run(openssl, "ts", "-verify", "-token_in", "-in", token.toString(), "-data", data.toString(),
                "-CAfile", caFile.toString());
    }

    /** docs/verify-proof.py on the proof (as JSON text), with extra arguments. */
    static ExternalTool.Outcome fold(String proofJson, Path dir, String... extra) {
        String python = ExternalTool.require("python3", "apt-get install -y python3");
        Path file = write(dir.resolve("proof-" + System.nanoTime() + ".json"), proofJson.getBytes());
        String[] command = new String[3 + extra.length];
        command[0] = python;
        command[1] = FOLD;
        command[2] = file.toString();
        System.arraycopy(extra, 0, command, 3, extra.length);
        return ExternalTool.run(command);
    }

    static void assertVerified(ExternalTool.Outcome outcome) {
        assertThat(outcome.exitCode()).as(outcome.stdout() + outcome.stderr()).isZero();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
