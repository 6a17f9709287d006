package io.bytekeep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalProgressTest {

    @Test
    void countsItemsOrBytes() {
        StringWriter items = new StringWriter();
        TerminalProgress counting = TerminalProgress.counting(new PrintWriter(items), "items");
        counting.start("raw files", 10);
        counting.advance(3);
        counting.finish();
        assertThat(items.toString()).contains("raw files [", " 30% 3 items/10 items ").doesNotContain("KiB");

        StringWriter bytes = new StringWriter();
        TerminalProgress transfer = new TerminalProgress(new PrintWriter(bytes));
        transfer.start("upload", 4096);
        transfer.advance(2048);
        transfer.finish();
        assertThat(bytes.toString()).contains(" 50% 2.0 KiB/4.0 KiB ");
    }
}
