package io.bytekeep.platform.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesDirectoryTest {

    @TempDir
    Path temp;

    /** Camel's own scan finds nothing through a link to the directory; through the resolved directory it finds the file. */
    @Test
    void aRoutesDirectoryThatIsALinkIsReadThroughItsRealPath() throws Exception {
        Path release = Files.createDirectories(temp.resolve("release-42/routes"));
        Files.writeString(release.resolve("vault-api.camel.yaml"), "- route: {}\n");
        Path link = Files.createSymbolicLink(temp.resolve("routes"), release);

        assertThat(ResourceHelper.findInFileSystem(link, "*.camel.yaml")).isEmpty();
        Path resolved = RoutesDirectory.real(link);
        assertThat(resolved).isEqualTo(release.toRealPath());
        assertThat(ResourceHelper.findInFileSystem(resolved, "*.camel.yaml")).hasSize(1);
    }

    @Test
    void aMissingOrEmptyRoutesDirectoryStopsTheStart() throws Exception {
        assertThatThrownBy(() -> RoutesDirectory.real(temp.resolve("nowhere")))
                .hasMessageContaining("does not exist").hasMessageContaining("BYTEKEEP_ROUTES_DIR");
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a route");
        assertThatThrownBy(() -> RoutesDirectory.real(empty)).hasMessageContaining("holds no *.camel.yaml");
    }

    @Test
    void theProjectsRoutesAreFound() {
        assertThat(RoutesDirectory.real(Path.of("routes"))).isEqualTo(Path.of("routes").toAbsolutePath());
    }
}
