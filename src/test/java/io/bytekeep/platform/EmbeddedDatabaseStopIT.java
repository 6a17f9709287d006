package io.bytekeep.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default's database while it runs keeps the space its dead pages took (H2 rewrites changed pages
 * elsewhere and, under load, leaves its chunks about 30 % live); a clean stop gives it back within the embedded URL's
 * {@code MAX_COMPACT_TIME} (config/application.yaml says why).
 */
class EmbeddedDatabaseStopIT {

    private static final Path DATA = Path.of("target", "embedded-database-stop-it").toAbsolutePath();
    private static final Path FILE = DATA.resolve("db").resolve("bytekeep.mv.db");
    private static final int ROWS = 90_000;
    private static final int BATCH = 1_000;

    @Test
    void aCleanStopGivesTheDeadSpaceOfTheDatabaseFileBack() throws IOException {
        FileSystemUtils.deleteRecursively(DATA);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(BytekeepApplication.class).run(
                "--bytekeep.data-dir=" + DATA,
                "--server.port=0",
                "--camel.main.name=bytekeep-database-stop",
                "--bytekeep.embedded.s3.port=" + TestServices.freePort(),
                "--bytekeep.embedded.s3-exports.port=" + TestServices.freePort(),
                "--bytekeep.embedded.amqp.port=" + TestServices.freePort());
        long beforeTheStop;
        long liveBytes;
        try {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            // rows that stay beside rows that go, commit by commit, as uploads' rows and their events' rows do
            jdbc.execute("create table stop_it_rows (id bigint primary key, payload varchar(2000) not null)");
            String payload = "p".repeat(1_500);
            for (int first = 0; first < ROWS; first += BATCH) {
                List<Object[]> rows = new ArrayList<>(BATCH);
                for (int id = first; id < first + BATCH; id++) {
                    rows.add(new Object[] {id, payload});
                }
                jdbc.batchUpdate("insert into stop_it_rows (id, payload) values (?, ?)", rows);
                jdbc.update("delete from stop_it_rows where id >= ? and id < ? and mod(id, 3) <> 0", first, first + BATCH);
            }
            jdbc.execute("checkpoint");
            beforeTheStop = Files.size(FILE);
            liveBytes = (long) ROWS / 3 * payload.length();
        } finally {
            app.close();
        }
        long afterTheStop = Files.size(FILE);

        assertThat(beforeTheStop).as("the file before the stop holds the dead rows' pages").isGreaterThan(3 * liveBytes);
        assertThat(afterTheStop).as("the file after a clean stop, from %d bytes", beforeTheStop)
                .isLessThan(liveBytes * 3 / 2);
    }
}
