package io.bytekeep.cli;

import java.nio.file.Path;
import java.util.Map;

import io.bytekeep.client.ClientException;
import io.bytekeep.client.DocumentClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bytekeep download ID}: downloads, decrypts and checks the SHA-256; no output file unless it matches. */
@Command(name = "download", mixinStandardHelpOptions = true, description = "Downloads, decrypts and verifies a document.")
final class DownloadCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Default: the document's name here.")
    Path output;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Option(names = "--parallel", defaultValue = "8", paramLabel = "N",
            description = "Ranges of 8 MiB in flight, each decrypted where it arrives (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    Map<String, Object> run() throws ClientException {
        DocumentClient.Downloaded downloaded = documents().parallelism(checkedParallel(parallel)).download(id, output, force, progress());
        say(downloaded.file() + "  " + downloaded.size() + " bytes, sha256 " + downloaded.sha256() + " verified");
        return result("id", downloaded.id(), "file", downloaded.file().toString(), "size", downloaded.size(),
                "sha256", downloaded.sha256(), "verified", true);
    }
}
