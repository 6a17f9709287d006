package io.bytekeep.cli;

import java.util.Map;

import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bytekeep revoke ID USER}: takes a user's access away (URLs already issued run out by their expiry). */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a user's access to a document.")
final class RevokeCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "USER")
    String user;

    @Override
    Map<String, Object> run() throws ClientException {
        documents().revoke(id, user);
        say("revoked " + user + " from " + id);
        return result("id", id, "user", user);
    }
}
