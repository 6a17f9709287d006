package io.bytekeep.vault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** {@link RawCounts} from the mime type counters ({@code raw_mime_type_count}) and, for Bytes' other filters, the files. */
public class JdbcRawCounts implements RawCounts {

    private final NamedParameterJdbcTemplate jdbc;

    public JdbcRawCounts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Map.Entry<String, Long>> countedMimeTypes(List<String> organizations, String after, int size) {
        if (organizations != null && organizations.isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.query(countedMimeTypesSql(organizations, after, size, params), params,
                (rs, n) -> Map.entry(rs.getString("mime_type"), rs.getLong("files")));
    }

    /** The select of {@link #countedMimeTypes}, adding its parameters: one organisation's page is a range of its key. */
    static String countedMimeTypesSql(List<String> organizations, String after, int size, MapSqlParameterSource params) {
        boolean one = organizations != null && organizations.size() == 1;
        StringBuilder sql = new StringBuilder(one ? "select mime_type, files" : "select mime_type, sum(files) as files")
                .append(" from raw_mime_type_count where 1 = 1");
        if (one) {
            sql.append(" and organization = :organization");
            params.addValue("organization", organizations.get(0));
        } else if (organizations != null) {
            sql.append(" and organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (after != null) {
            sql.append(" and mime_type > :after");
            params.addValue("after", after);
        }
        // one organisation's in the order of its key (H2 walks the index only then), the same order of mime types
        sql.append(one ? " order by organization, mime_type" : " group by mime_type order by mime_type").append(" limit :size");
        params.addValue("size", size);
        return sql.toString();
    }

    @Override
    public Map<String, Long> mimeTypeCounts(MimeTypeQuery query) {
        if (query.organizations() != null && query.organizations().isEmpty()) {
            return Map.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select c.mime_type, count(*) as n from raw_file_mime_type c join raw_file r on r.id = c.raw_file_id");
        if (Boolean.TRUE.equals(query.normalized())) {
            sql.append(" join normalizer_meta n on n.raw_file_id = r.id");
        }
        sql.append(" where 1 = 1");
        if (query.organizations() != null) {
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", query.organizations());
        }
        if (query.boefjeMetaId() != null) {
            sql.append(" and r.boefje_meta_id = :bm");
            params.addValue("bm", query.boefjeMetaId());
        }
        VaultRows.appendRawFilters(sql, "r", Boolean.FALSE.equals(query.normalized()) ? Boolean.FALSE : null, null, query.mimeTypes(), params);
        sql.append(" group by c.mime_type order by c.mime_type");
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(sql.toString(), params, rs -> {
            counts.put(rs.getString("mime_type"), rs.getLong("n"));
        });
        return counts;
    }

    @Override
    public Map<String, Long> rawFileCountsByOrganization() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.getJdbcTemplate().query("select organization, count(*) as n from raw_file group by organization order by organization",
                rs -> {
                    counts.put(rs.getString("organization"), rs.getLong("n"));
                });
        return counts;
    }
}
