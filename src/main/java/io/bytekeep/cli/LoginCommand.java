package io.bytekeep.cli;

import java.io.Console;
import java.io.IOException;
import java.util.Map;

import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientConfig;
import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bytekeep login}: gets a bearer token and keeps it (owner-only) in the config directory. */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Logs in and stores the session token.")
final class LoginCommand extends ClientCommand {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The server, e.g. http://127.0.0.1:8080")
    String server;

    @Option(names = {"-u", "--user"}, required = true, paramLabel = "NAME")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Else $BYTEKEEP_PASSWORD, else asked on the terminal.")
    String password;

    @Override
    Map<String, Object> run() throws ClientException {
        String secret = password != null ? password : System.getenv("BYTEKEEP_PASSWORD");
        if (secret == null) {
            Console console = System.console();
            if (console == null) {
                throw new ClientException(ClientException.BAD_INPUT, "no password: use --password or BYTEKEEP_PASSWORD");
            }
            secret = new String(console.readPassword("password for %s: ", user));
        }
        String token = BytekeepClient.login(BytekeepClient.newHttpClient(), server, user, secret);
        ClientConfig config = config();
        try {
            config.saveSession(new ClientConfig.Session(server, user, token));
        } catch (IOException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot write the session: " + e.getMessage(), e);
        }
        say("logged in to " + server + " as " + user);
        return result("server", server, "user", user);
    }
}
