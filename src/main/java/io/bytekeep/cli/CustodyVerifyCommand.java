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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CustodyChain custodyChain;
        Map<String, PublicKey> signingKeys;
        try {
            custodyChain = JSON.readValue(chain.toFile(), CustodyChain.class);
            signingKeys = signingKeys(keys);
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot read the input: " + e.getMessage());
            return UNREADABLE;
        }
        if (custodyChain.caseId() == null) {
            err.println("cannot read the input: " + chain + " has no case_id");
            return UNREADABLE;
        }
        ChainVerdict verdict = new ChainVerifier(custodian).verify(custodyChain, signingKeys);
        if (verdict.valid()) {
            out.println("valid: case " + custodyChain.caseId() + ", " + verdict.links() + " links");
            return 0;
        }
        out.println("broken: case " + custodyChain.caseId() + ", first broken link " + verdict.firstBrokenLink().index()
                + ": " + verdict.firstBrokenLink().reason());
        return BROKEN;
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
