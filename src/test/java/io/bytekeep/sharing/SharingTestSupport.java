package io.bytekeep.sharing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.cli.BytekeepCli;
import io.bytekeep.support.IntegrationTest;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line run in-process against the test server, with one config directory per user. */
abstract class SharingTestSupport extends IntegrationTest {

    static final String AUDIT_QUEUE = "bytekeep_test_document_audit";
    static final String BUCKET = "bytekeep-test-documents";
    static final byte[] MARKER = "BYTEKEEP-PLAINTEXT-MARKER-7f3a".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    S3Client s3;

    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }
    }

    @BeforeEach
    void emptySharing() {
        jdbc.execute("truncate table sharing_grant, sharing_audit, sharing_document, sharing_user_key");
        rabbitAdmin.purgeQueue(AUDIT_QUEUE, false);
    }

    static Run cli(Path configDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BytekeepCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config-dir";
        all[args.length + 1] = configDir.toString();
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    /** Logs {@code user} in and registers a fresh key pair, as a new user of the command line does. */
    Path loggedIn(Path home, String user) {
        Path dir = home.resolve(user);
        Run login = cli(dir, "login", "--server", "http://127.0.0.1:" + port, "--user", user,
                "--password", "test-password-" + user);
        assertThat(login.exitCode()).as(login.err()).isZero();
        Run keys = cli(dir, "keys", "init", "--json");
        assertThat(keys.exitCode()).as(keys.out() + keys.err()).isZero();
        return dir;
    }

    /** A file of {@code megabytes} MiB, written in 1 MiB blocks of pseudo-random bytes, each starting with the marker. */
    static Path plainFile(Path file, int megabytes) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(megabytes);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(block);
                System.arraycopy(MARKER, 0, block, 0, MARKER.length);
                out.write(block);
            }
        }
        return file;
    }

    /** Whether the stored object contains the marker anywhere (streamed, across read boundaries). */
    boolean objectContainsMarker(String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key(key))) {
            byte[] buffer = new byte[1024 * 1024 + MARKER.length];
            int carried = 0;
            for (int n; (n = in.read(buffer, carried, buffer.length - carried)) > 0; ) {
                int length = carried + n;
                if (indexOf(buffer, length) >= 0) {
                    return true;
                }
                carried = Math.min(MARKER.length - 1, length);
                System.arraycopy(buffer, length - carried, buffer, 0, carried);
            }
        }
        return false;
    }

    private static int indexOf(byte[] data, int length) {
        outer:
        for (int i = 0; i + MARKER.length <= length; i++) {
            for (int j = 0; j < MARKER.length; j++) {
                if (data[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
