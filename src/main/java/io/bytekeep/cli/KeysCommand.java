package io.bytekeep.cli;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientConfig;
import io.bytekeep.client.ClientException;
import io.bytekeep.client.DocumentClient;
import io.bytekeep.sharing.DocumentKeyWrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bytekeep keys ...}: the user's X25519 key pair for document keys. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Your key pair for shared documents.",
        subcommands = KeysCommand.Init.class)
final class KeysCommand {

    /**
     * {@code bytekeep keys init}: generates the private key here (it never leaves this machine) unless there is one,
     * and registers the public key. {@code --new} generates a new one in place of this machine's. Either way, when the
     * server already holds another key for the user, nothing is changed without {@code --replace}: documents wrapped
     * for the registered key cannot be opened with another, so replacing it (from a second machine without the key,
     * say) locks the user out of what was shared with them.
     */
    @Command(name = "init", mixinStandardHelpOptions = true, description = "Generates and registers your key pair.")
    static final class Init extends ClientCommand {

        @Option(names = "--new", description = "Generate a new private key in place of this machine's (documents "
                + "wrapped for the old one become unreadable); needs --replace when a key is registered.")
        boolean newKey;

        @Option(names = "--replace", description = "Register this machine's key (or the new one) even though the server "
                + "holds another key for you: documents shared with you so far become unreadable until shared again.")
        boolean replace;

        @Override
        Map<String, Object> run() throws ClientException {
            ClientConfig config = config();
            String user = config.session().username();
            BytekeepClient api = api();
            boolean generated = newKey || !config.hasPrivateKey();
            byte[] privateKey = generated ? DocumentKeyWrap.newPrivateKey(new SecureRandom()) : config.privateKey();
            String fingerprint = DocumentClient.fingerprint(DocumentKeyWrap.publicKey(privateKey));
            String replaced = DocumentClient.registeredKey(api).map(DocumentClient::fingerprint)
                    .filter(registered -> !registered.equals(fingerprint)).orElse(null);
            if (replaced != null && !replace) {
                throw new ClientException(ClientException.BAD_INPUT, "the server holds another key for " + user
                        + ": registered key " + replaced + ", " + (generated ? "new key " + fingerprint + " (not kept)"
                        : "this machine's key " + fingerprint) + ". Replacing it makes the documents shared with " + user
                        + " so far unreadable until they are shared again. Use the registered key (copy x25519.key from "
                        + "the machine that has it into " + config.directory() + "), or replace it: bytekeep keys init "
                        + (newKey ? "--new " : "") + "--replace");
            }
            if (generated) {
                try {
                    config.savePrivateKey(privateKey);
                } catch (IOException e) {
                    throw new ClientException(ClientException.BAD_INPUT, "cannot write the private key: " + e.getMessage(), e);
                }
            }
            JsonNode registered = new DocumentClient(api, privateKey).registerKey();
            if (replaced != null && !json) {
                err().println("bytekeep: warning: replaced the registered key " + replaced + " of " + user + " with "
                        + fingerprint + ": documents shared with " + user + " before cannot be opened until they are shared again");
                err().flush();
            }
            say((generated ? "generated and registered" : "registered") + " the key of " + registered.path("username").asText()
                    + ", fingerprint " + fingerprint);
            return result("user", registered.path("username").asText(), "public_key", registered.path("public_key").asText(),
                    "fingerprint", fingerprint, "generated", generated, "replaced_fingerprint", replaced);
        }
    }
}
