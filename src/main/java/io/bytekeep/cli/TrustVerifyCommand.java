package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;

import io.bytekeep.trust.TrustVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bytekeep trust verify}: checks a downloaded export file against the published TUF metadata without the
 * service, as a TUF client does: fetches the metadata over HTTP from the metadata base URL (the bucket's
 * {@code tuf/} folder), walks it from the root you trust ({@link TrustVerifier}) and compares the file's length and
 * SHA-256. Exit 0: verified; 1: rejected (the reason is printed); 2: unreadable input or unreachable server.
 * With {@code --json} the verdict is one JSON object on standard output (the error too: {@code {"error", "exit_code"}}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verifies a downloaded export file against Bytekeep's published TUF metadata.")
final class TrustVerifyCommand implements Callable<Integer> {

    static final int REJECTED = 1;
    static final int UNREADABLE = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--metadata-url", required = true, paramLabel = "URL",
            description = "Base URL of the metadata, e.g. http://127.0.0.1:9481/bytekeep-exports/tuf/")
    private URI metadataUrl;

    @Option(names = "--root", required = true, paramLabel = "FILE",
            description = "The root metadata you trust (tuf/1.root.json of the first publication, kept out of band).")
    private Path root;

    @Option(names = "--target", required = true, paramLabel = "PATH",
            description = "The target path: the file's object key, e.g. version/v1/diagnosis-keys/country/DE/date/2026-11-24/hour/5")
    private String target;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The downloaded file.")
    private Path file;

    @Option(names = "--json", description = "Print the verdict as one JSON object.")
    private boolean json;

    @Override
    public Integer call() {
        String base = metadataUrl.toString().endsWith("/") ? metadataUrl.toString() : metadataUrl + "/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            byte[] trustedRoot = Files.readAllBytes(root);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long length = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                    length += n;
                }
            }
            TrustVerifier.Verified verified = new TrustVerifier(Clock.systemUTC())
                    .verify(trustedRoot, name -> fetch(http, URI.create(base + name)), target, length, sha256.digest());
            print(json ? ClientCommand.toJson(ClientCommand.result("verdict", "verified", "verified", true,
                    "target", verified.path(), "length", verified.target().length(), "sha256", verified.target().sha256(),
                    "role", verified.role(), "role_version", verified.roleVersion(),
                    "snapshot_version", verified.snapshotVersion()))
                    : "verified: " + verified.path() + ", " + verified.target().length() + " bytes, sha256 "
                    + verified.target().sha256() + ", role " + verified.role() + " version " + verified.roleVersion()
                    + ", snapshot version " + verified.snapshotVersion());
            return 0;
        } catch (TrustVerifier.Rejected e) {
            print(json ? ClientCommand.toJson(ClientCommand.result("verdict", "rejected", "verified", false,
                    "target", target, "reason", e.getMessage()))
                    : "rejected: " + target + ": " + e.getMessage());
            return REJECTED;
        } catch (IOException | UncheckedIOException | NoSuchAlgorithmException e) {
            String message = "cannot verify " + target + ": " + e.getMessage();
            if (json) {
                print(ClientCommand.toJson(ClientCommand.result("error", message, "exit_code", UNREADABLE)));
            } else {
                PrintWriter err = spec.commandLine().getErr();
                err.println(message);
                err.flush();
            }
            return UNREADABLE;
        }
    }

    private void print(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    /** The file, or null if there is none (404, or 403 as S3 answers a missing key to a reader without list rights). */
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
