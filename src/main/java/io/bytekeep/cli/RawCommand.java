package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bytekeep raw ...}: raw files of the Vault (Bytes API), streamed. */
@Command(name = "raw", mixinStandardHelpOptions = true, description = "Raw files of the Vault.",
        subcommands = {RawCommand.Upload.class, RawCommand.Get.class})
final class RawCommand {

    /** {@code bytekeep raw upload FILE --boefje-meta ID}: streams the file as application/octet-stream. */
    @Command(name = "upload", mixinStandardHelpOptions = true, description = "Uploads a raw file of a boefje run (streamed).")
    static final class Upload extends ClientCommand {

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--boefje-meta", required = true, paramLabel = "ID", description = "The boefje run's id.")
        String boefjeMeta;

        @Option(names = "--mime-type", paramLabel = "TYPE", description = "Repeatable.")
        List<String> mimeTypes = List.of();

        @Override
        Map<String, Object> run() throws ClientException {
            if (!Files.isRegularFile(file)) {
                throw new ClientException(ClientException.BAD_INPUT, "no such file: " + file);
            }
            String name = file.getFileName().toString();
            StringBuilder query = new StringBuilder("?boefje_meta_id=" + encode(boefjeMeta) + "&name=" + encode(name));
            mimeTypes.forEach(type -> query.append("&mime_types=").append(encode(type)));
            HttpRequest.BodyPublisher body;
            try {
                body = HttpRequest.BodyPublishers.ofFile(file);
            } catch (IOException e) {
                throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
            }
            JsonNode ids = api().send("/bytes/raw" + query, "POST", "application/octet-stream", body);
            String id = ids.path(name).asText();
            say(id + "  " + name);
            return result("id", id, "name", name);
        }
    }

    /** {@code bytekeep raw get ID -o FILE}: the raw bytes, as the Vault checked them against their proof hash. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Downloads a raw file.")
    static final class Get extends ClientCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE")
        Path output;

        @Override
        Map<String, Object> run() throws ClientException {
            Path absolute = output.toAbsolutePath();
            Path partial = absolute.resolveSibling(absolute.getFileName() + ".bytekeep-partial");
            long size;
            try {
                try (InputStream in = api().stream("/bytes/raw/" + encode(id)); OutputStream out = Files.newOutputStream(partial)) {
                    size = in.transferTo(out);
                } catch (IOException e) {
                    throw new ClientException(ClientException.SERVER, "download of raw file " + id + " failed: " + e.getMessage(), e);
                }
                Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new ClientException(ClientException.BAD_INPUT, "cannot write " + output + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover .bytekeep-partial file is never the output
                }
            }
            say(output + "  " + size + " bytes");
            return result("id", id, "file", output.toString(), "size", size);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
