package io.bytekeep.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The mime type counters on H2, the embedded default: the migration fills them from the files already stored, and an
 * organisation's counts are read page by page along its key, never by counting its files (26 s at 1M files:
 * bench/results/scale-2026-12-05-1301.md).
 */
class MimeTypeCountsTest {

    private static final int TYPES = 1_234;
    private static final Map<String, Map<String, Long>> FILES_PER_TYPE = new TreeMap<>();

    private static NamedParameterJdbcTemplate jdbc;
    private static RawCounts store;

    @BeforeAll
    static void databaseWithFilesStoredBeforeTheCounters() {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:mime-types-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("17").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        List<MapSqlParameterSource> files = new ArrayList<>();
        List<MapSqlParameterSource> types = new ArrayList<>();
        for (String organization : List.of("org-a", "org-b")) {
            UUID meta = UUID.randomUUID();
            jdbc.update("insert into boefje_meta (id, organization, boefje_id, arguments) values (:id, :org, 'dns', '{}')",
                    new MapSqlParameterSource().addValue("id", meta).addValue("org", organization));
            int count = organization.equals("org-a") ? TYPES : TYPES / 2;
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                files.add(new MapSqlParameterSource().addValue("id", id).addValue("bm", meta).addValue("org", organization)
                        .addValue("digest", "d" + i).addValue("createdAt", Timestamp.from(Instant.now())));
                // every file has a type of its own and one shared by every third file of its organisation
                for (String type : List.of(String.format("own/%05d", i), "shared/" + i % 3)) {
                    types.add(new MapSqlParameterSource().addValue("id", id).addValue("mime", type));
                    FILES_PER_TYPE.computeIfAbsent(organization, o -> new TreeMap<>()).merge(type, 1L, Long::sum);
                }
            }
        }
        jdbc.batchUpdate("insert into raw_file (id, boefje_meta_id, organization, mime_set_digest, secure_hash, storage_key, "
                + "size_bytes, stored_size_bytes, encryption, created_at) values (:id, :bm, :org, :digest, 'sha512:00', 'raw/k', "
                + "1, 1, 'NONE', :createdAt)", files.toArray(MapSqlParameterSource[]::new));
        jdbc.batchUpdate("insert into raw_file_mime_type (raw_file_id, mime_type) values (:id, :mime)",
                types.toArray(MapSqlParameterSource[]::new));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc.getJdbcTemplate().execute("analyze");
        store = new JdbcRawCounts(jdbc);
    }

    @Test
    void theMigrationCountsTheFilesAlreadyStoredAsCountingThemAtRequestTimeDoes() {
        for (String organization : FILES_PER_TYPE.keySet()) {
            assertThat(store.mimeTypeCounts(new RawCounts.MimeTypeQuery(List.of(organization), null, null, List.of())))
                    .as("counted from the files").containsExactlyEntriesOf(FILES_PER_TYPE.get(organization));
            assertThat(allPages(List.of(organization))).as("from the counters")
                    .containsExactlyEntriesOf(FILES_PER_TYPE.get(organization));
        }
    }

    @Test
    void severalOrganisationsAddUpPageByPage() {
        Map<String, Long> both = new TreeMap<>();
        FILES_PER_TYPE.values().forEach(counts -> counts.forEach((type, n) -> both.merge(type, n, Long::sum)));
        assertThat(allPages(List.of("org-a", "org-b"))).containsExactlyEntriesOf(both);
        assertThat(allPages(null)).as("all organisations").containsExactlyEntriesOf(both);
        assertThat(allPages(List.of("org-c"))).isEmpty();
        assertThat(store.countedMimeTypes(List.of(), null, 10)).isEmpty();
    }

    @Test
    void oneOrganisationsPageIsARangeOfItsKeyThatStopsAtTheLimit() {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String sql = JdbcRawCounts.countedMimeTypesSql(List.of("org-a"), "own/00100", 50, params);
        String plan = String.join("\n", jdbc.queryForList("explain " + sql, params, String.class));
        assertThat(plan).containsIgnoringCase("primary_key").contains("/* index sorted */");
        MapSqlParameterSource all = new MapSqlParameterSource();
        assertThat(String.join("\n", jdbc.queryForList("explain " + JdbcRawCounts.countedMimeTypesSql(null, "own/00100", 50, all), all, String.class)))
                .as("across organisations, along the mime type index").contains("raw_mime_type_count_type").contains("/* group sorted */");
    }

    private static Map<String, Long> allPages(List<String> organizations) {
        Map<String, Long> counts = new TreeMap<>();
        String after = null;
        List<Map.Entry<String, Long>> page;
        do {
            page = store.countedMimeTypes(organizations, after, 500);
            page.forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
            after = page.isEmpty() ? null : page.get(page.size() - 1).getKey();
        } while (page.size() == 500);
        return counts;
    }
}
