package io.bytekeep.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code bytekeep.data-dir} absolute before anything uses it: H2 refuses implicitly relative paths, and
 * log lines naming files should say where they are. The directory is the owner's alone (mode 700, created so when
 * missing): it holds the database, the objects, spool files and generated secrets, which other users of the machine
 * could read through the umask's modes otherwise.
 */
public class DataDirectory implements EnvironmentPostProcessor, Ordered {

    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

    private final Log log;

    public DataDirectory(DeferredLogFactory logs) {
        this.log = logs.getLog(DataDirectory.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("bytekeep.data-dir");
        if (configured != null && !configured.isBlank()) {
            Path absolute = Path.of(configured).toAbsolutePath().normalize();
            ownerOnly(absolute, log);
            environment.getPropertySources().addFirst(new MapPropertySource("bytekeepDataDirectory",
                    Map.of("bytekeep.data-dir", absolute.toString())));
        }
    }

    static void ownerOnly(Path directory, Log log) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        try {
            if (!Files.exists(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(owner));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The data directory " + directory + " cannot be created (bytekeep.data-dir, "
                    + "BYTEKEEP_DATA_DIR)", e);
        }
        try {
            Files.setPosixFilePermissions(directory, owner);
        } catch (IOException e) {
            // a directory of another owner the service may write to (a mounted volume): its owner decides
            log.warn("The data directory " + directory + " stays as its owner set it (not made owner-only): " + e);
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
