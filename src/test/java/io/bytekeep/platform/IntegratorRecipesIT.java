package io.bytekeep.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.distribution.DiagnosisKey;
import io.bytekeep.distribution.DiagnosisKeyStore;
import io.bytekeep.distribution.DistributionTimeSlots;
import io.bytekeep.distribution.Submission;
import io.bytekeep.distribution.TestKeys;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.routes.SafeRouteReloadStrategy;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.GuideRecipe;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.vault.RawPacker;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/INTEGRATING.md, applied: each recipe's find/replace blocks are taken from the guide, applied to the route
 * files of the running service, and the effect is checked; the plugin example is compiled and loaded; every named
 * step of the guide's table exists.
 */
@DirtiesContext // its own routes directory and plugins: closed after the class
class IntegratorRecipesIT extends IntegrationTest {

    private static final Path GUIDE = GuideRecipe.GUIDE;
    private static final Path ROUTES = freshDirectory("recipe-routes");
    private static final Path PLUGINS = freshDirectory("recipe-plugins");
    private static final String RAW_BUCKET = "bytekeep-test-raw";
    private static final String EXPORT_BUCKET = "bytekeep-test-exports";
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void editableRoutesAndPlugins(DynamicPropertyRegistry registry) {
        copyRoutes();
        buildGuidePlugin();
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.camel.yaml");
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
        registry.add("bytekeep.routes.reload-enabled", () -> "true");
        registry.add("bytekeep.plugins.directory", PLUGINS::toString);
    }

    @Autowired
    SafeRouteReloadStrategy reload;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    S3Client s3;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @Autowired
    @Qualifier("embeddedS3ExportsServer")
    EmbeddedS3Server exportsServer;

    @Autowired
    DiagnosisKeyStore keys;

    @Autowired
    RabbitTemplate rabbit;

    private final List<String> edited = new ArrayList<>();

    @org.junit.jupiter.api.BeforeEach
    void emptyRawBucket() {
        objects(s3, RAW_BUCKET, "raw/").forEach(key -> s3.deleteObject(b -> b.bucket(RAW_BUCKET).key(key)));
    }

    @AfterEach
    void restoreEditedFiles() throws IOException {
        exportsServer.start();
        for (String file : edited) {
            applyAndAwait(file, Files.readString(Path.of("routes", file)));
        }
    }

    @Test
    void recipe1ChangesTheDistributionScheduleAndTheNewCronFires() throws IOException {
        GuideRecipe recipe = GuideRecipe.named("schedule");
        apply(recipe);
        ApiClient admin = as("bytes");
        assertThat(admin.get("/admin/routes/distribution-run-schedule").json().get("from").asText())
                .contains("cron=0+0/15+*+*+*+?");

        long runs = exchanges(admin, "distribution-run");
        // the same edit with a cron of every second shows that the edited schedule fires
        apply(new GuideRecipe(recipe.file(), recipe.find(), recipe.replace().replace("0+0/15+*+*+*+?", "0/1+*+*+*+*+?")));
        await().atMost(Duration.ofSeconds(30)).until(() -> exchanges(admin, "distribution-run-schedule") >= 2
                && exchanges(admin, "distribution-run") >= runs + 2);
    }

    @Test
    void recipe2TapsRawFileReceivedToASecondExchange() throws IOException {
        rabbitAdmin.declareExchange(new FanoutExchange("bytekeep.audit", true, false));
        Queue audit = new Queue("bytekeep_test_audit", false, false, true);
        rabbitAdmin.declareQueue(audit);
        rabbitAdmin.declareBinding(BindingBuilder.bind(audit).to(new FanoutExchange("bytekeep.audit")));
        try {
            apply(GuideRecipe.named("tap"));
            ApiClient alice = as("alice");
            UUID raw = uploadRaw(alice, createBoefjeMeta(alice, "org-a", Instant.parse("2026-11-01T10:00:00Z")),
                    "tapped.txt", "evidence".getBytes(StandardCharsets.UTF_8), "text/plain");

            Message copy = await().atMost(Duration.ofSeconds(20)).until(() -> rabbit.receive("bytekeep_test_audit"), m -> m != null);
            JsonNode event = JSON.readTree(copy.getBody());
            assertThat(event.get("event_id").asText()).isEqualTo("raw_file_received");
            assertThat(event.get("raw_data").get("id").asText()).isEqualTo(raw.toString());
            Message original = await().atMost(Duration.ofSeconds(20)).until(() -> rabbit.receive(EVENT_QUEUE), m -> m != null);
            assertThat(original.getMessageProperties().getMessageId()).isEqualTo(copy.getMessageProperties().getMessageId());
        } finally {
            rabbitAdmin.deleteQueue("bytekeep_test_audit");
            rabbitAdmin.deleteExchange("bytekeep.audit");
        }
    }

    @Test
    void recipe3AddsAValidationStepThatRefusesWithoutLeavingAnything() throws IOException {
        apply(GuideRecipe.named("validation"));
        List<String> packsBefore = objects(s3, RAW_BUCKET, RawPacker.PACKS);
        ApiClient bob = as("bob");
        UUID job = createBoefjeMeta(bob, "org-b", Instant.parse("2026-11-01T10:00:00Z"));

        ApiClient.Response refused = bob.postJson("/bytes/raw?boefje_meta_id=" + job, Map.of("files", List.of(
                file("small.txt", new byte[100], "text/plain"), file("large.bin", new byte[2048], "application/octet-stream"))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("Refused by a validation step");
        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        // the first file went into a pack of its own (the files of one upload are stored one after the other)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(objects(s3, RAW_BUCKET, RawPacker.PACKS))
                .as("the first file's pack was removed again").containsExactlyInAnyOrderElementsOf(packsBefore));

        uploadRaw(bob, job, "small.txt", new byte[512], "text/plain");
        ApiClient alice = as("alice");
        uploadRaw(alice, createBoefjeMeta(alice, "org-a", Instant.parse("2026-11-01T10:00:00Z")), "large.bin", new byte[2048]);
        assertThat(count("raw_file")).isEqualTo(2);
    }

    @Test
    void recipe4RoutesOneOrganisationsFilesToAnotherBucket() throws IOException {
        StorageConfiguration.createIfMissing(s3, "org-b-evidence");
        apply(GuideRecipe.named("bucket"));
        ApiClient bob = as("bob");
        byte[] content = "org-b evidence".getBytes(StandardCharsets.UTF_8);
        UUID rawB = uploadRaw(bob, createBoefjeMeta(bob, "org-b", Instant.parse("2026-11-01T10:00:00Z")), "b.txt", content);
        ApiClient alice = as("alice");
        UUID rawA = uploadRaw(alice, createBoefjeMeta(alice, "org-a", Instant.parse("2026-11-01T10:00:00Z")), "a.txt", content);

        // small files: each in a pack of the bucket its organisation's files go to
        String keyB = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawB);
        String keyA = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawA);
        assertThat(jdbc.queryForObject("select storage_bucket from raw_file where id = ?", String.class, rawB)).isEqualTo("org-b-evidence");
        assertThat(objects(s3, "org-b-evidence", RawPacker.PACKS)).contains(keyB).doesNotContain(keyA);
        assertThat(objects(s3, RAW_BUCKET, RawPacker.PACKS)).contains(keyA).doesNotContain(keyB);
        ApiClient.Response readBack = bob.get("/bytes/raw/" + rawB);
        assertThat(readBack.status()).isEqualTo(200);
        assertThat(readBack.body()).isEqualTo(content);
    }

    @Test
    void recipe5RaisesTheRetryCountOfTheExportUpload() throws IOException {
        jdbc.execute("truncate table diagnosis_key");
        long hour = DistributionTimeSlots.hourOf(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2), 5);
        List<DiagnosisKey> submitted = new ArrayList<>(TestKeys.keys(0, 6, hour));
        keys.storeNew(new Submission(submitted, true));
        apply(GuideRecipe.named("retry"));

        exportsServer.stop();
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = new LinkedHashMap<>((Map<String, Object>) producer.requestBody("direct:distribution-run", (Object) null));

        assertThat(summary).as(summary.toString()).containsEntry("status", "failed");
        int failedOperations = (Integer) summary.get("failedOperations");
        assertThat(failedOperations).isPositive();
        // every failed operation was retried 6 times; archives under way on the other upload threads when the upload
        // stopped may have been retried too, up to 6 times each, before they found it stopped
        int retries = (Integer) summary.get("retries");
        assertThat(retries).as(summary.toString()).isBetween(6 * failedOperations, 6 * (failedOperations + 3));
        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, EXPORT_BUCKET);
    }

    @Test
    void theGuidesPluginExampleLoadsFromThePluginsDirectoryAndRuns() throws Exception {
        JsonNode plugins = as("bytes").get("/admin/plugins").json();
        Path jar = PLUGINS.resolve("case-number-stamp.jar");
        assertThat(plugins.get("jars").get(0).get("file").asText()).isEqualTo("case-number-stamp.jar");
        assertThat(plugins.get("jars").get(0).get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))));
        assertThat(as("alice").get("/admin/plugins").status()).isEqualTo(403);

        String beans = yamlBlockStartingWith("- beans:");
        applyAndAwait("plugin-beans.camel.yaml", beans);
        String service = Files.readString(ROUTES.resolve("service.camel.yaml"));
        // after the health route's jsonResponder, which answers with its own headers only
        String stamped = service.replaceFirst("""
                            method: report
                        - process:
                            ref: jsonResponder
                """, """
                            method: report
                        - process:
                            ref: jsonResponder
                        - process:
                            ref: caseNumberStamp
                """);
        assertThat(stamped).contains("caseNumberStamp");
        applyAndAwait("service.camel.yaml", stamped);
        edited.add("service.camel.yaml");

        assertThat(anonymous().get("/health").headers().firstValue("X-Case-Number")).hasValueSatisfying(
                value -> assertThat(value).startsWith("EVIDENCE-"));
    }

    @Test
    void everyNamedStepOfTheGuideExists() throws IOException {
        String guide = Files.readString(GUIDE);
        String table = guide.substring(guide.indexOf("| name |"), guide.indexOf("Exchange properties that steps share"));
        List<String> names = new ArrayList<>();
        for (String row : table.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher name = Pattern.compile("`([a-zA-Z]+)`").matcher(row.substring(0, row.indexOf(" |", 2)));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        assertThat(names).hasSizeGreaterThan(25);
        for (String name : names) {
            assertThat(camel.getRegistry().lookupByName(name)).as("named step " + name).isNotNull();
        }
    }

    // --- the guide ---

    private static String yamlBlockStartingWith(String start) throws IOException {
        Matcher block = Pattern.compile("```yaml\n(" + Pattern.quote(start) + ".*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        assertThat(block.find()).isTrue();
        return block.group(1);
    }

    // --- applying edits to the running service ---

    private void apply(GuideRecipe recipe) throws IOException {
        applyAndAwait(recipe.file(), recipe.appliedTo(Files.readString(Path.of("routes", recipe.file()))));
        if (!edited.contains(recipe.file())) {
            edited.add(recipe.file());
        }
    }

    private void applyAndAwait(String file, String content) throws IOException {
        Path target = ROUTES.resolve(file);
        if (Files.exists(target) && Files.readString(target).equals(content)) {
            return;
        }
        Path staged = Files.writeString(ROUTES.resolve(file + ".tmp"), content);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(reload.rejectedFiles()).as("the edit of " + file + " loads").noneMatch(r -> r.file().equals(file));
            assertThat(reload.loadedVersion(target)).as("the routes of " + file + " run the edit").hasValue(content);
        });
    }

    private static long exchanges(ApiClient admin, String route) {
        return admin.get("/admin/routes/" + route).json().get("metrics").get("exchanges_total").asLong();
    }

    private static List<String> objects(S3Client client, String bucket, String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                .filter(key -> !key.endsWith("/")) // the filesystem backend lists its directories
                .toList();
    }

    // --- set-up before the service starts ---

    private static Path freshDirectory(String name) {
        try {
            Path dir = Path.of("target", name).toAbsolutePath();
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyRoutes() {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path route : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(route, ROUTES.resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles the guide's plugin example against camel-api and puts it into the plugins directory as a JAR. */
    private static void buildGuidePlugin() {
        try {
            Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
            assertThat(java.find()).as("the guide has a plugin example").isTrue();
            Path sources = Files.createDirectories(PLUGINS.resolveSibling("recipe-plugin-src"));
            Path source = Files.writeString(sources.resolve("CaseNumberStamp.java"), java.group(1));
            Path classes = Files.createDirectories(sources.resolve("classes"));
            String camelApi = Path.of(org.apache.camel.Processor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int result = compiler.run(null, null, null, "-classpath", camelApi, "-d", classes.toString(), source.toString());
            assertThat(result).as("the plugin example compiles").isZero();
            try (OutputStream out = Files.newOutputStream(PLUGINS.resolve("case-number-stamp.jar"));
                 JarOutputStream jar = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, jar);
                    jar.closeEntry();
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
