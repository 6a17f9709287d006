package io.bytekeep.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds the database, objects and secrets: only its owner may enter it (issue 17). */
class DataDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aNewDataDirectoryIsCreatedForItsOwnerAlone() throws Exception {
        Path data = temp.resolve("deep/data");
        DataDirectory.ownerOnly(data, org.apache.commons.logging.LogFactory.getLog(DataDirectoryTest.class));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    @Test
    void anExistingWorldReadableOneIsClosed() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        DataDirectory.ownerOnly(data, org.apache.commons.logging.LogFactory.getLog(DataDirectoryTest.class));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }
}
