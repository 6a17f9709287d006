package io.bytekeep.platform.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The integrators' plugin JARs of one directory, read once at start-up into one class loader beside the
 * application's. Each JAR is listed with its SHA-256, so an operator can check what code the service runs.
 */
public final class PluginJars implements AutoCloseable {

    /** One loaded JAR. */
    public record Jar(String file, long size, String sha256) {
    }

    private final Path directory;
    private final List<Jar> jars;
    private final URLClassLoader classLoader;

    private PluginJars(Path directory, List<Jar> jars, URLClassLoader classLoader) {
        this.directory = directory;
        this.jars = List.copyOf(jars);
        this.classLoader = classLoader;
    }

    public static PluginJars load(Path directory, ClassLoader parent) {
        Path dir = directory.toAbsolutePath().normalize();
        List<Path> files = jarFiles(dir);
        List<Jar> jars = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (Path file : files) {
            jars.add(new Jar(file.getFileName().toString(), size(file), sha256(file)));
            urls.add(url(file));
        }
        return new PluginJars(dir, jars, new URLClassLoader("bytekeep-plugins", urls.toArray(URL[]::new), parent));
    }

    public Path directory() {
        return directory;
    }

    public List<Jar> jars() {
        return jars;
    }

    public ClassLoader classLoader() {
        return classLoader;
    }

    @Override
    public void close() throws IOException {
        classLoader.close();
    }

    private static List<Path> jarFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins directory " + dir, e);
        }
    }

    private static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plugin " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read plugin " + file, e);
        }
    }

    private static URL url(Path file) {
        try {
            return file.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
