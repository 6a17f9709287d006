package io.bytekeep.cli;

import java.util.Map;
import java.util.UUID;

import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bytekeep rm ID} (or {@code delete}): deletes an own document, finished or not: its ciphertext in S3, its
 * grants and the document. Exit 3 for a document that is not yours; 4 when object storage did not confirm (the
 * document is kept: run it again). Needs the session of {@code bytekeep login}, not the private key.
 */
@Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true,
        description = "Deletes one of your documents (its ciphertext, its shares and the document).")
final class RmCommand extends ClientCommand {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    Map<String, Object> run() throws ClientException {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.BAD_INPUT, "not a document id: " + id);
        }
        // no private key needed: a user who lost theirs can still delete what they own
        api().delete("/documents/" + id);
        say("deleted " + id);
        return result("id", id, "deleted", true);
    }
}
