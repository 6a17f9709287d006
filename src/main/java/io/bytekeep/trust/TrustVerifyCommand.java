package io.bytekeep.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

/**
 * The command-line check of a downloaded export file against the published TUF metadata, without the service:
 * fetches the metadata over HTTP from the metadata base URL (the bucket's {@code tuf/} folder), walks it from the
 * root you trust ({@link TrustVerifier}) and compares the file's length and SHA-256. Exit 0: verified (one JSON line
 * on stdout); 1: rejected (the reason on stderr); 2: usage or I/O error. From the application jar:
 * <pre>
 * java -cp bytekeep.jar -Dloader.main=io.bytekeep.trust.TrustVerifyCommand \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     http://127.0.0.1:9481/bytekeep-exports/tuf/ root.json version/v1/diagnosis-keys/.../hour/5 5.zip
 * </pre>
 */
public final class TrustVerifyCommand {

    private TrustVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 4) {
            err.println("usage: TrustVerifyCommand <metadata base URL> <trusted root.json> <target path> <file>");
            return 2;
        }
        String base = args[0].endsWith("/") ? args[0] : args[0] + "/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            byte[] root = Files.readAllBytes(Path.of(args[1]));
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long length = 0;
            try (InputStream in = Files.newInputStream(Path.of(args[3]))) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                    length += n;
                }
            }
            TrustVerifier.Verified verified = new TrustVerifier(Clock.systemUTC())
                    .verify(root, name -> fetch(http, URI.create(base + name)), args[2], length, sha256.digest());
            out.printf("{\"verified\":true,\"path\":\"%s\",\"length\":%d,\"sha256\":\"%s\",\"role\":\"%s\","
                            + "\"roleVersion\":%d,\"snapshotVersion\":%d}%n", verified.path().replace("\"", "\\\""),
                    verified.target().length(), verified.target().sha256(), verified.role(), verified.roleVersion(),
                    verified.snapshotVersion());
            return 0;
        } catch (TrustVerifier.Rejected e) {
            err.println("REJECTED " + args[2] + ": " + e.getMessage());
            return 1;
        } catch (IOException | UncheckedIOException | NoSuchAlgorithmException e) {
            err.println("cannot verify " + args[2] + ": " + e.getMessage());
            return 2;
        }
    }

    /** The file, or null if the server has none (404, or 403 as S3 answers a missing key without list rights). */
    private static byte[] fetch(HttpClient http, URI uri) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404 || response.statusCode() == 403) {
                return null;
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
