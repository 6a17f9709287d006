package io.bytekeep.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientConfig;
import io.bytekeep.client.ClientException;
import io.bytekeep.client.DocumentClient;
import io.bytekeep.client.Progress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a Bytekeep server with the session of {@code bytekeep login}. Exit codes: 0 ok,
 * 1 verification failed, 2 usage or bad input, 3 not found or forbidden, 4 server or network. With {@code --json}
 * the result (or {@code {"error": ..., "exit_code": ...}}) is one JSON object on standard output.
 */
abstract class ClientCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--config-dir", paramLabel = "DIR", description = "Session and private key (default: ~/.bytekeep).")
    Path configDir;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public final Integer call() {
        try {
            Map<String, Object> result = run();
            if (json) {
                out().println(toJson(result));
            }
            out().flush();
            return exitCode(result);
        } catch (ClientException e) {
            if (json) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("error", e.getMessage());
                error.put("exit_code", e.exitCode());
                out().println(toJson(error));
                out().flush();
            } else {
                err().println("bytekeep: " + e.getMessage());
                err().flush();
            }
            return e.exitCode();
        }
    }

    /** Does the work; prints the human-readable result itself (unless {@link #json}) and answers the JSON result. */
    abstract Map<String, Object> run() throws ClientException;

    /** The exit code of a command that ran to its end: 0, unless its result reports a failure. */
    int exitCode(Map<String, Object> result) {
        return 0;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Human-readable output: printed only without --json. */
    void say(String line) {
        if (!json) {
            out().println(line);
        }
    }

    ClientConfig config() {
        return new ClientConfig(configDir != null ? configDir : ClientConfig.defaultDirectory());
    }

    BytekeepClient api() throws ClientException {
        ClientConfig.Session session = config().session();
        return new BytekeepClient(BytekeepClient.newHttpClient(), session.server(), session.token());
    }

    DocumentClient documents() throws ClientException {
        return new DocumentClient(api(), config().privateKey());
    }

    /** A progress bar on standard error, only on a terminal and without --json: scripts see no progress output. */
    Progress progress() {
        return json || System.console() == null ? Progress.NONE : new TerminalProgress(err());
    }

    /** The same, counting items of {@code unit}. */
    Progress progress(String unit) {
        return json || System.console() == null ? Progress.NONE : TerminalProgress.counting(err(), unit);
    }

    /** The value of a {@code --parallel} option, refused outside 1..64. */
    static int checkedParallel(int parallel) throws ClientException {
        if (parallel < 1 || parallel > 64) {
            throw new ClientException(ClientException.BAD_INPUT, "--parallel must be 1..64");
        }
        return parallel;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> result(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
