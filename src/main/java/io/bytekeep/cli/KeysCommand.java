package io.bytekeep.cli;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

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
     * {@code bytekeep keys init}: generates the private key here (it never leaves this machine) and registers the
     * public key. An existing private key is re-registered, not replaced, unless {@code --new}: a new key cannot
     * open documents wrapped for the old one.
     */
    @Command(name = "init", mixinStandardHelpOptions = true, description = "Generates and registers your key pair.")
    static final class Init extends ClientCommand {

        @Option(names = "--new", description = "Replace an existing private key (documents wrapped for it become unreadable).")
        boolean replace;

        @Override
        Map<String, Object> run() throws ClientException {
            ClientConfig config = config();
            boolean generated = replace || !config.hasPrivateKey();
            if (generated) {
                try {
                    config.savePrivateKey(DocumentKeyWrap.newPrivateKey(new SecureRandom()));
                } catch (IOException e) {
                    throw new ClientException(ClientException.BAD_INPUT, "cannot write the private key: " + e.getMessage(), e);
                }
            }
            byte[] publicKey = DocumentKeyWrap.publicKey(config.privateKey());
            JsonNode registered = documents().registerKey();
            String fingerprint = DocumentClient.fingerprint(publicKey);
            say((generated ? "generated and registered" : "registered") + " the key of " + registered.path("username").asText()
                    + ", fingerprint " + fingerprint);
            return result("user", registered.path("username").asText(), "public_key", registered.path("public_key").asText(),
                    "fingerprint", fingerprint, "generated", generated);
        }
    }
}
