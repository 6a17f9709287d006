package io.bytekeep.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.bytekeep.client.BytekeepClient;
import io.bytekeep.client.ClientException;
import picocli.CommandLine.Command;

/** {@code bytekeep ls}: own documents and those shared with you. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists your documents and those shared with you.")
final class LsCommand extends ClientCommand {

    @Override
    Map<String, Object> run() throws ClientException {
        BytekeepClient api = api();
        JsonNode documents = api.get("/documents");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode d : documents) {
            say(String.format("%s  %-7s  %-9s  %12d  %s", d.get("id").asText(), d.get("role").asText(), d.get("status").asText(),
                    d.get("size").asLong(), d.get("name").asText()));
            rows.add(result("id", d.get("id").asText(), "name", d.get("name").asText(), "size", d.get("size").asLong(),
                    "owner", d.get("owner").asText(), "organization", d.path("organization").asText(null), "role", d.get("role").asText(), "status", d.get("status").asText()));
        }
        return result("documents", rows);
    }
}
