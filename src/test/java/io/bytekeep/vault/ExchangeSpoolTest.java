package io.bytekeep.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExchangeSpoolTest {

    @TempDir
    Path directory;

    @Test
    void aFileGoesWithItsExchange() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Path file = new ExchangeSpool(directory).newFile(exchange, "upload-");
        assertThat(file).exists().hasParent(directory);

        exchange.getExchangeExtension().handoverCompletions().forEach(completion -> completion.onComplete(exchange));

        assertThat(file).doesNotExist();
    }

    @Test
    void aKilledRunsFilesAreDeletedAtStartAndOtherSpoolFilesStay() throws Exception {
        Path upload = Files.createFile(directory.resolve("upload-123.raw"));
        Path read = Files.createFile(directory.resolve("read-456.raw"));
        Path box = Files.createFile(directory.resolve("box-789.bin"));
        Path custody = Files.createDirectories(directory.resolve("custody")).resolve("keep.raw");
        Files.createFile(custody);

        new ExchangeSpool(directory).deleteLeftovers();

        assertThat(upload).doesNotExist();
        assertThat(read).doesNotExist();
        assertThat(box).exists();
        assertThat(custody).exists();
        new ExchangeSpool(directory.resolve("absent")).deleteLeftovers();
    }
}
