package io.bytekeep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.bytekeep.custody.CustodyKeys;
import io.bytekeep.custody.chain.ChainVerdict;
import io.bytekeep.custody.chain.ChainVerifier;
import io.bytekeep.custody.chain.CustodyChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bytekeep custody verify}: replays an exported chain ({@code GET /custody/cases/{id}/chain}) offline with the
 * same {@link ChainVerifier} as the server. Exit 0: valid; 1: broken (the first broken link is named); 2: unreadable input.
 * With {@code --json} the verdict is one JSON object on standard output (the error too: {@code {"error", "exit_code"}}).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verifies a custody chain offline and names the first broken link.")
final class CustodyVerifyCommand implements Callable<Integer> {

    static final int BROKEN = 1;
    static final int UNREADABLE = 2;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Spec
    private CommandSpec spec;

    @Option(names = "--chain", required = true, paramLabel = "FILE",
            description = "The chain as GET /custody/cases/{id}/chain answers it (JSON).")
    private Path chain;

    @Option(names = "--keys", required = true, paramLabel = "DIR|FILE",
            description = "The parties' signing public keys: a directory of <party-id>.pem files, or a JSON object "
                    + "{\"<party-id>\": \"<PEM>\"} as GET /custody/parties answers it.")
    private Path keys;

    @Option(names = "--custodian", defaultValue = "bytekeep", paramLabel = "ID",
            description = "Bytekeep's party id, the signer of link 0 (default: ${DEFAULT-VALUE}).")
    private String custodian;

    @Option(names = "--json", description = "Print the verdict as one JSON object.")
    private boolean json;

    @Override
    public Integer call() {
        CustodyChain custodyChain;
        Map<String, PublicKey> signingKeys;
        try {
            custodyChain = JSON.readValue(chain.toFile(), CustodyChain.class);
            signingKeys = signingKeys(keys);
        } catch (IOException | IllegalArgumentException e) {
            return unreadable(e.getMessage());
        }
        if (custodyChain.caseId() == null) {
            return unreadable(chain + " has no case_id");
        }
        ChainVerdict verdict = new ChainVerifier(custodian).verify(custodyChain, signingKeys);
        ChainVerdict.BrokenLink broken = verdict.firstBrokenLink();
        if (json) {
            Map<String, Object> result = ClientCommand.result("verdict", verdict.valid() ? "valid" : "broken",
                    "valid", verdict.valid(), "case_id", custodyChain.caseId().toString(), "links", verdict.links());
            if (broken != null) {
                result.put("first_broken_link", ClientCommand.result("index", broken.index(), "reason", broken.reason()));
            }
            print(ClientCommand.toJson(result));
        } else if (verdict.valid()) {
            print("valid: case " + custodyChain.caseId() + ", " + verdict.links() + " links");
        } else {
            print("broken: case " + custodyChain.caseId() + ", first broken link " + broken.index() + ": " + broken.reason());
        }
        return verdict.valid() ? 0 : BROKEN;
    }

    private void print(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    /** Exit 2; the reason on standard error, or with --json as {@code {"error", "exit_code"}} on standard output. */
    private int unreadable(String reason) {
        if (json) {
            print(ClientCommand.toJson(ClientCommand.result("error", "cannot read the input: " + reason, "exit_code", UNREADABLE)));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cannot read the input: " + reason);
            err.flush();
        }
        return UNREADABLE;
    }

    private static Map<String, PublicKey> signingKeys(Path source) throws IOException {
        Map<String, String> pems = new LinkedHashMap<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                    String name = file.getFileName().toString();
                    pems.put(name.substring(0, name.length() - ".pem".length()), Files.readString(file));
                }
            }
        } else {
            pems.putAll(JSON.readValue(source.toFile(), new TypeReference<Map<String, String>>() { }));
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        pems.forEach((party, pem) -> {
            try {
                keys.put(party, CustodyKeys.publicKey(pem));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the key of party '" + party + "': " + e.getMessage(), e);
            }
        });
        return keys;
    }
}
