package io.bytekeep.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/** Spool files that live as long as one exchange: made in the spool directory, deleted when the exchange is done. */
public final class ExchangeSpool {

    private final Path directory;

    public ExchangeSpool(Path directory) {
        this.directory = directory;
    }

    /** A new file named {@code <prefix>...raw}, deleted when {@code exchange} is done (or emptied on the next start). */
    public Path newFile(Exchange exchange, String prefix) throws IOException {
        Files.createDirectories(directory);
        Path spool = Files.createTempFile(directory, prefix, ".raw");
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // the spool directory is emptied on the next start
                }
            }
        });
        return spool;
    }
}
