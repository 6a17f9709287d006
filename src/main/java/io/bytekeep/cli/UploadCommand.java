package io.bytekeep.cli;

import java.nio.file.Path;
import java.util.Map;

import io.bytekeep.client.ClientException;
import io.bytekeep.client.DocumentClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bytekeep upload FILE}: encrypts on this machine and uploads the ciphertext straight to S3. */
@Command(name = "upload", mixinStandardHelpOptions = true, description = "Encrypts and uploads a file as a new document.")
final class UploadCommand extends ClientCommand {

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--content-type", defaultValue = "application/octet-stream", paramLabel = "TYPE")
    String contentType;

    @Option(names = "--organization", paramLabel = "ORG",
            description = "The organisation the document belongs to (one of yours; default: your first).")
    String organization;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "N", description = "Parts in flight (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    Map<String, Object> run() throws ClientException {
        DocumentClient.Uploaded uploaded = documents().parallelism(checkedParallel(parallel)).organization(organization)
                .upload(file, contentType, progress());
        say(uploaded.id() + "  " + uploaded.name() + "  " + uploaded.size() + " bytes in " + uploaded.parts() + " part(s)");
        return result("id", uploaded.id(), "name", uploaded.name(), "size", uploaded.size(), "sha256", uploaded.sha256(),
                "parts", uploaded.parts());
    }
}
