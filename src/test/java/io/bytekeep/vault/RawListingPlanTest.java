package io.bytekeep.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The raw-file listing on H2, the embedded default: in insertion order (as Bytes on PostgreSQL answers) from the index,
 * not by sorting every match, page by page (the 10-minute soak ran out of heap on that sort:
 * bench/results/reliability-runs-2026-11-26-to-12-04.md).
 */
class RawListingPlanTest {

    private static final int FILES_PER_META = 3_000;
    private static final UUID META = UUID.randomUUID();
    private static final UUID OTHER_META = UUID.randomUUID();
    private static final List<Row> ROWS = new ArrayList<>();

    private record Row(UUID id, UUID meta, Instant createdAt) {
    }

    private static NamedParameterJdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:listing-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(dataSource);
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        List<MapSqlParameterSource> batch = new ArrayList<>();
        for (UUID meta : List.of(META, OTHER_META)) {
            String organization = meta == META ? "org-a" : "org-b";
            jdbc.update("insert into boefje_meta (id, organization, boefje_id, arguments) values (:id, :org, 'dns', '{}')",
                    new MapSqlParameterSource().addValue("id", meta).addValue("org", organization));
            for (int i = 0; i < FILES_PER_META; i++) {
                // created out of order, and pairs at the same instant (the id decides)
                Row row = new Row(UUID.randomUUID(), meta, start.plusMillis((i * 7919L) % FILES_PER_META / 2));
                ROWS.add(row);
                batch.add(new MapSqlParameterSource().addValue("id", row.id()).addValue("bm", meta).addValue("org", organization)
                        .addValue("digest", "d" + i).addValue("createdAt", Timestamp.from(row.createdAt())));
            }
        }
        jdbc.batchUpdate("insert into raw_file (id, boefje_meta_id, organization, mime_set_digest, secure_hash, storage_key, "
                + "size_bytes, stored_size_bytes, encryption, created_at) values (:id, :bm, :org, :digest, 'sha512:00', 'raw/k', "
                + "1, 1, 'NONE', :createdAt)", batch.toArray(MapSqlParameterSource[]::new));
        jdbc.getJdbcTemplate().execute("analyze");
    }

    @Test
    void listingOfABoefjeMetaWalksTheIndexAndStopsAtTheLimit() {
        assertIndexSorted(new RawStore.RawQuery(null, META, null, null, List.of(), 20, null));
        assertIndexSorted(new RawStore.RawQuery(List.of("org-a"), META, null, null, List.of(), 20, null));
        assertIndexSorted(new RawStore.RawQuery(List.of("org-a", "org-b"), META, false, null, List.of("text/plain"), 20, null));
    }

    @Test
    void listingOfOneOrganizationWalksTheIndexAndStopsAtTheLimit() {
        assertIndexSorted(new RawStore.RawQuery(List.of("org-b"), null, null, null, List.of(), 20, null));
    }

    @Test
    void listingIsInInsertionOrderPageAfterPage() {
        List<UUID> expected = ROWS.stream().filter(row -> row.meta().equals(META)).map(Row::id).toList();
        RawStore.RawQuery first = new RawStore.RawQuery(List.of("org-a"), META, null, null, List.of(), 50, null);
        MapSqlParameterSource params = new MapSqlParameterSource();
        List<UUID> page1 = jdbc.queryForList(JdbcRawStore.rawIdsInOrder(first, params), params, UUID.class);
        RawStore.RawQuery next = first.after(page1.get(page1.size() - 1), 50);
        MapSqlParameterSource nextParams = new MapSqlParameterSource();
        List<UUID> page2 = jdbc.queryForList(JdbcRawStore.rawIdsInOrder(next, nextParams), nextParams, UUID.class);

        assertThat(page1).containsExactlyElementsOf(expected.subList(0, 50));
        assertThat(page2).containsExactlyElementsOf(expected.subList(50, 100));
        assertIndexSorted(next);
    }

    private static void assertIndexSorted(RawStore.RawQuery query) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String plan = String.join("\n", jdbc.queryForList("explain " + JdbcRawStore.rawIdsInOrder(query, params), params, String.class));
        assertThat(plan).as("H2's plan of %s", query).contains("/* index sorted */");
    }
}
