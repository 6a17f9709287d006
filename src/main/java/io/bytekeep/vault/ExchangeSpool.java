package io.bytekeep.vault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Spool files that live as long as one exchange: made in the spool directory, deleted when the exchange is done, and
 * those a killed process left behind deleted at the next start ({@link #deleteLeftovers()}). Their content is
 * encrypted under a key that died with the process ({@link EncryptedSpool}): what is left is only disk space.
 */
public final class ExchangeSpool {

    private static final String SUFFIX = ".raw";

    private final Path directory;

    public ExchangeSpool(Path directory) {
        this.directory = directory;
    }

    /** A new file named {@code <prefix>...raw}, deleted when {@code exchange} is done. */
    public Path newFile(Exchange exchange, String prefix) throws IOException {
        Files.createDirectories(directory);
        Path spool = Files.createTempFile(directory, prefix, SUFFIX);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // deleted at the next start
                }
            }
        });
        return spool;
    }

    /** Deletes the files of exchanges of an earlier run (before any exchange of this one); other spool files stay. */
    public void deleteLeftovers() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }
}
