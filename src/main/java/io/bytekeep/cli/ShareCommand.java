package io.bytekeep.cli;

import java.util.Map;

import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bytekeep share ID USER}: re-wraps the document key for USER's registered public key. */
@Command(name = "share", mixinStandardHelpOptions = true, description = "Shares a document with a user.")
final class ShareCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    Map<String, Object> run() throws ClientException {
        String fingerprint = documents().share(id, user);
        say("shared " + id + " with " + user + " (key fingerprint " + fingerprint + ")");
        return result("id", id, "user", user, "fingerprint", fingerprint);
    }
}
