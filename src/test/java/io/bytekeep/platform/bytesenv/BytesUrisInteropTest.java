package io.bytekeep.platform.bytesenv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * QUEUE_URI and BYTES_DB_URI read as Bytes' own libraries read them: pika's URLParameters and SQLAlchemy's make_url
 * (src/test/resources/interop/bytes_uris.py, Debian's python3-pika and python3-sqlalchemy, which .ci/run installs).
 * A URI they refuse, Bytekeep refuses.
 */
class BytesUrisInteropTest {

    private static final Path SCRIPT = Path.of("src/test/resources/interop/bytes_uris.py");

    private static String python;

    @BeforeAll
    static void pythonWithBytesLibraries() throws Exception {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(candidate, List.of("-c", "import pika, sqlalchemy"), "", ProcessBuilder.Redirect.DISCARD).exitCode == 0) {
                    python = candidate;
                    return;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        fail("no python3 with pika and SQLAlchemy; install them: apt-get install -y python3-pika python3-sqlalchemy");
    }

    @Test
    void queueUrisAsPikaReadsThem() throws Exception {
        List<String> uris = List.of(
                "amqp://guest:guest@ci_rabbitmq:5672/%2fkat", // bytes/.ci/.env.test
                "amqp://guest:guest@127.0.0.1:5672/%2F",     // RUNNING-BYTES.md
                "amqp://u:p%40ss+w%3Ard@rabbit.example/",
                "amqps://rabbit.example",
                "AMQP://h:1234",
                "amqp://h/vh/more?heartbeat=30",
                "amqp://h//",
                "amqp://h/%2Fa%20b",
                "amqp://u@h/",
                "amqp://h?bogus=1");
        List<JsonNode> pika = python("queue", uris);
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            JsonNode expected = pika.get(i);
            if (expected.has("error")) {
                assertThatThrownBy(() -> BytesQueueUri.parse(uri)).as(uri + " (pika: " + expected.get("error").asText() + ")")
                        .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            BytesQueueUri queue = BytesQueueUri.parse(uri);
            assertThat(queue.host()).as(uri).isEqualTo(expected.get("host").asText());
            assertThat(queue.port()).as(uri).isEqualTo(expected.get("port").asInt());
            assertThat(queue.virtualHost()).as(uri).isEqualTo(expected.get("virtual_host").asText());
            assertThat(queue.username()).as(uri).isEqualTo(expected.get("username").asText());
            assertThat(queue.password()).as(uri).isEqualTo(expected.get("password").asText());
            assertThat(queue.tls()).as(uri).isEqualTo(expected.get("tls").asBoolean());
            if (!expected.get("heartbeat").isNull()) {
                assertThat(queue.options()).as(uri).containsEntry("heartbeat", expected.get("heartbeat").asText());
            }
        }
    }

    @Test
    void databaseUrisAsSqlAlchemyReadsThem() throws Exception {
        List<String> uris = List.of(
                "postgresql://postgres:postgres@ci_bytes-db:5432/ci_bytes", // bytes/.ci/.env.test
                "postgresql://bytes_app:s3cr%40t%2Fx+y@postgres:5432/bytes", // .env-dist's shape
                "postgresql+psycopg2://u:p@h/d%20b?sslmode=require",
                "postgresql://u@[::1]:5433/x?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
                "postgresql://h/db",
                "postgresql://h1:5432,h2:5433/db",
                "mysql://u:p@h/db");
        List<JsonNode> sqlalchemy = python("db", uris);
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            JsonNode expected = sqlalchemy.get(i);
            if (expected.has("error") || !expected.get("driver").asText().startsWith("postgres")) {
                assertThatThrownBy(() -> BytesDatabaseUri.parse(uri)).as(uri + " (SQLAlchemy: " + expected + ")")
                        .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            BytesDatabaseUri database = BytesDatabaseUri.parse(uri);
            assertThat(database.host().name()).as(uri).isEqualTo(expected.get("host").asText());
            assertThat(database.host().port()).as(uri).isEqualTo(expected.get("port").isNull() ? null : expected.get("port").asInt());
            assertThat(database.database()).as(uri).isEqualTo(expected.get("database").asText());
            // libpq's user when the URI names none: the operating-system user
            assertThat(database.username()).as(uri).isEqualTo(expected.get("username").isNull()
                    ? System.getProperty("user.name") : expected.get("username").asText());
            assertThat(database.password()).as(uri).isEqualTo(expected.get("password").isNull() ? "" : expected.get("password").asText());
            expected.get("query").fields().forEachRemaining(parameter ->
                    assertThat(database.jdbcParameters()).as(uri).containsEntry(parameter.getKey(), parameter.getValue().asText()));
        }
    }

    private static List<JsonNode> python(String kind, List<String> uris) throws Exception {
        StringBuilder input = new StringBuilder();
        uris.forEach(uri -> input.append(kind).append(' ').append(uri).append('\n'));
        Outcome outcome = run(python, List.of(SCRIPT.toString()), input.toString(), ProcessBuilder.Redirect.INHERIT);
        assertThat(outcome.exitCode).as(outcome.output).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : outcome.output.split("\n")) {
            answers.add(json.readTree(line));
        }
        assertThat(answers).hasSameSizeAs(uris);
        return answers;
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome run(String interpreter, List<String> arguments, String stdin, ProcessBuilder.Redirect stderr)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(interpreter));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectError(stderr).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python finished").isTrue();
        return new Outcome(process.exitValue(), output);
    }
}
