package io.bytekeep.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThatCode;

/** The configuration files load as Spring loads them: a key given twice (two bytekeep.custody blocks) is an error. */
class ConfigurationFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"config/application.yaml", "config/application-prod.yaml", "config/application-demo.yaml",
            "src/test/resources/test-config/application-test.yaml"})
    void hasNoDuplicateKeys(String file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(Path.of(file))) {
            assertThatCode(() -> new Yaml(options).loadAll(reader).forEach(document -> { })).as(file).doesNotThrowAnyException();
        }
    }
}
