package io.bytekeep.platform.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import io.bytekeep.distribution.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/kubernetes validates against the Kubernetes API's schemas (src/test/k8s-validate: types, formats, required
 * fields, no unknown field), and the Deployment says what ops/kubernetes/README.md promises.
 */
class KubernetesManifestsTest {

    private static final Path VALIDATOR = Path.of("src", "test", "k8s-validate");
    private static final Path MANIFEST = Path.of("ops", "kubernetes", "bytekeep.yaml");

    @TempDir
    Path dir;

    /** kubernetes-models and @kubernetes/client-node from package-lock.json, installed once (CI runs the same). */
    @BeforeAll
    static void validatorInstalled() {
        if (!Files.isDirectory(VALIDATOR.resolve("node_modules/kubernetes-models"))) {
            ExternalTool.Outcome install = ExternalTool.run(new byte[0], ExternalTool.require("npm", "apt-get install -y npm"),
                    "ci", "--no-audit", "--no-fund", "--prefix", VALIDATOR.toString());
            assertThat(install.exitCode()).as("npm ci: %s", install.stderr()).isZero();
        }
    }

    @Test
    void everyManifestValidates() throws Exception {
        List<String> files;
        try (Stream<Path> manifests = Files.list(MANIFEST.getParent())) {
            files = manifests.map(Path::toString).filter(name -> name.endsWith(".yaml")).sorted().toList();
        }
        ExternalTool.Outcome validated = validate(files.toArray(String[]::new));
        assertThat(validated.exitCode()).as(validated.stderr()).isZero();
        assertThat(validated.stdout().lines()).hasSize(documents().size()).allMatch(line -> line.startsWith("ok "));
    }

    @Test
    void aWrongTypeAndAnUnknownFieldAreRefused() throws Exception {
        String manifest = Files.readString(MANIFEST);
        Path wrongType = Files.writeString(dir.resolve("wrong-type.yaml"), manifest.replace("replicas: 2", "replicas: two"));
        Path unknownField = Files.writeString(dir.resolve("unknown-field.yaml"),
                manifest.replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true"));

        ExternalTool.Outcome type = validate(wrongType.toString());
        assertThat(type.exitCode()).isEqualTo(1);
        assertThat(type.stderr()).contains("Deployment/bytekeep", "replicas must be integer");
        ExternalTool.Outcome unknown = validate(unknownField.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains(".spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDeploymentRunsSeveralProbedInstancesWithConfigRoutesAndSecretsFromTheCluster() {
        Map<String, Object> deployment = documents().stream().filter(doc -> "Deployment".equals(doc.get("kind")))
                .findFirst().orElseThrow();
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((List<Map<String, Object>>) container.get("envFrom"))
                .anySatisfy(source -> assertThat(path(source, "secretRef", "name")).isEqualTo("bytekeep-secrets"));
        assertThat((List<Map<String, Object>>) container.get("env")).extracting(env -> env.get("name") + "=" + env.get("value"))
                .contains("SPRING_PROFILES_ACTIVE=prod", "BYTEKEEP_ROUTES_DIR=/etc/bytekeep/routes")
                .noneMatch(env -> env.startsWith("BYTEKEEP_SCHEDULER_NAME"));
        assertThat((List<Map<String, Object>>) pod.get("volumes")).extracting(volume -> volume.get("name") + ":"
                        + path(volume, "configMap", "name"))
                .contains("config:bytekeep-config", "routes:bytekeep-routes");
    }

    private ExternalTool.Outcome validate(String... files) {
        List<String> command = new ArrayList<>(List.of(ExternalTool.require("node", "apt-get install -y nodejs"),
                VALIDATOR.resolve("validate.mjs").toString()));
        command.addAll(List.of(files));
        return ExternalTool.run(new byte[0], command.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents() {
        try {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : new Yaml().loadAll(Files.readString(MANIFEST))) {
                documents.add((Map<String, Object>) document);
            }
            return documents;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = value == null ? null : ((Map<String, Object>) value).get(key);
        }
        return value;
    }
}
