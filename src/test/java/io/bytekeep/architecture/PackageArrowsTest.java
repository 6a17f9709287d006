package io.bytekeep.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ARCHITECTURE.md, "Packages, and which way their arrows run": a feature package uses only the packages below
 * it, in both source folders; and the steps under processors/ stay plain (no database, object store or Spring).
 */
class PackageArrowsTest {

    /** Top-level packages of io.bytekeep by layer, the lowest last. */
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("cli", 0),
            Map.entry("client", 1),
            Map.entry("sharing", 2), Map.entry("custody", 2), Map.entry("trust", 2),
            Map.entry("vault", 3), Map.entry("distribution", 3),
            Map.entry("atrest", 4), Map.entry("proof", 4), Map.entry("publication", 4),
            Map.entry("platform", 5));
    private static final Pattern PACKAGE = Pattern.compile("^package io\\.bytekeep\\.(\\w+)[\\w.]*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.bytekeep\\.([a-z]\\w*)(?:\\.[a-z]\\w*)*\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final List<String> NOT_PLAIN = List.of("software.amazon.", "org.springframework.", "java.sql.");

    @Test
    void everyArrowRunsDown() {
        List<String> upward = new ArrayList<>();
        for (Path source : sources(Path.of("src/main/java/io/bytekeep"), Path.of("processors/io/bytekeep"))) {
            String code = code(source);
            Matcher own = PACKAGE.matcher(code);
            if (!own.find()) {
                continue;
            }
            String from = own.group(1);
            assertThat(LAYER).as("the layer of package %s (%s)", from, source).containsKey(from);
            Matcher reference = REFERENCE.matcher(code);
            while (reference.find()) {
                String to = reference.group(1);
                assertThat(LAYER).as("the layer of package %s (named in %s)", to, source).containsKey(to);
                if (!to.equals(from) && LAYER.get(to) <= LAYER.get(from)) {
                    upward.add(source + ": " + from + " -> " + to);
                }
            }
        }
        assertThat(upward).as("imports of a package on the same layer or above").isEmpty();
    }

    @Test
    void processorsStayPlain() {
        List<String> io = new ArrayList<>();
        for (Path source : sources(Path.of("processors/io/bytekeep"))) {
            String code = code(source);
            NOT_PLAIN.stream().filter(code::contains).forEach(api -> io.add(source + " uses " + api));
        }
        assertThat(io).as("steps under processors/ that reach the database, the object store or Spring").isEmpty();
    }

    private static List<Path> sources(Path... roots) {
        List<Path> all = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(all).as("sources under %s", List.of(roots)).isNotEmpty();
        return all;
    }

    private static String code(Path source) {
        try {
            return COMMENT.matcher(Files.readString(source)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
