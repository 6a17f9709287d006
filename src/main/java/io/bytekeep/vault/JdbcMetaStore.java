package io.bytekeep.vault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.bytekeep.platform.Problem;

/** {@link MetaStore} on the Vault's tables {@code boefje_meta} and {@code normalizer_meta}. */
public class JdbcMetaStore implements MetaStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final VaultRows rows;

    public JdbcMetaStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.rows = new VaultRows(jdbc, json);
    }

    @Override
    public void createBoefjeMeta(BoefjeMeta meta) {
        try {
            insertBoefjeMeta(meta);
        } catch (DuplicateKeyException e) {
            throw Problem.bytesIntegrityError("Boefje meta with id " + meta.id() + " already exists");
        }
    }

    @Override
    public void insertBoefjeMeta(BoefjeMeta meta) {
        jdbc.update("insert into boefje_meta (id, organization, boefje_id, boefje_version, input_ooi, arguments, runnable_hash, "
                + "environment, started_at, ended_at) values (:id, :organization, :boefjeId, :boefjeVersion, :inputOoi, "
                + ":arguments, :runnableHash, :environment, :startedAt, :endedAt)", new MapSqlParameterSource()
                .addValue("id", meta.id())
                .addValue("organization", meta.organization())
                .addValue("boefjeId", meta.boefje().id())
                .addValue("boefjeVersion", meta.boefje().version())
                .addValue("inputOoi", meta.inputOoi())
                .addValue("arguments", rows.toJson(meta.arguments()))
                .addValue("runnableHash", meta.runnableHash())
                .addValue("environment", meta.environment() == null ? null : rows.toJson(meta.environment()))
                .addValue("startedAt", VaultRows.timestamp(meta.startedAt()))
                .addValue("endedAt", VaultRows.timestamp(meta.endedAt())));
    }

    @Override
    public Optional<BoefjeMeta> findBoefjeMeta(UUID id) {
        return jdbc.query("select " + VaultRows.BOEFJE_META_COLUMNS + " from boefje_meta bm where bm.id = :id",
                Map.of("id", id), (rs, n) -> rows.boefjeMeta(rs)).stream().findFirst();
    }

    @Override
    public List<BoefjeMeta> queryBoefjeMeta(List<String> organizations, String boefjeId, String inputOoi,
                                            int limit, long offset, boolean descending) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select " + VaultRows.BOEFJE_META_COLUMNS + " from boefje_meta bm where 1 = 1");
        if (organizations != null) {
            if (organizations.isEmpty()) {
                return List.of();
            }
            sql.append(" and bm.organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (boefjeId != null) {
            sql.append(" and bm.boefje_id = :boefjeId");
            params.addValue("boefjeId", boefjeId);
        }
        if (inputOoi == null) {
            sql.append(" and bm.input_ooi is null");
        } else if (!inputOoi.equals(ANY_INPUT_OOI)) {
            sql.append(" and bm.input_ooi = :inputOoi");
            params.addValue("inputOoi", inputOoi);
        }
        sql.append(" order by bm.started_at ").append(descending ? "desc nulls first" : "asc nulls last")
                .append(", bm.seq limit :limit offset :offset");
        params.addValue("limit", limit).addValue("offset", offset);
        return jdbc.query(sql.toString(), params, (rs, n) -> rows.boefjeMeta(rs));
    }

    @Override
    public void createNormalizerMeta(NormalizerMeta meta) {
        try {
            insertNormalizerMeta(meta);
        } catch (DuplicateKeyException e) {
            throw Problem.bytesIntegrityError("Normalizer meta with id " + meta.id() + " already exists");
        }
    }

    @Override
    public void insertNormalizerMeta(NormalizerMeta meta) {
        jdbc.update("insert into normalizer_meta (id, raw_file_id, normalizer_id, normalizer_version, started_at, ended_at) "
                + "values (:id, :rawId, :normalizerId, :normalizerVersion, :startedAt, :endedAt)", new MapSqlParameterSource()
                .addValue("id", meta.id())
                .addValue("rawId", meta.rawData().id())
                .addValue("normalizerId", meta.normalizer().id())
                .addValue("normalizerVersion", meta.normalizer().version())
                .addValue("startedAt", VaultRows.timestamp(meta.startedAt()))
                .addValue("endedAt", VaultRows.timestamp(meta.endedAt())));
    }

    @Override
    public Optional<NormalizerMeta> findNormalizerMeta(UUID id) {
        return queryNormalizerMeta(null, id, null, null, 1, 0, true).stream().findFirst();
    }

    @Override
    public List<NormalizerMeta> queryNormalizerMeta(List<String> organizations, UUID id, String normalizerId, UUID rawId,
                                                    int limit, long offset, boolean descending) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select nm.id as nm_id, nm.normalizer_id, nm.normalizer_version, "
                + "nm.started_at as nm_started_at, nm.ended_at as nm_ended_at, " + VaultRows.RAW_COLUMNS + ", " + VaultRows.BOEFJE_META_COLUMNS
                + " from normalizer_meta nm join raw_file r on r.id = nm.raw_file_id join boefje_meta bm on bm.id = r.boefje_meta_id"
                + " where 1 = 1");
        if (organizations != null) {
            if (organizations.isEmpty()) {
                return List.of();
            }
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (id != null) {
            sql.append(" and nm.id = :id");
            params.addValue("id", id);
        }
        if (normalizerId != null) {
            sql.append(" and nm.normalizer_id = :normalizerId");
            params.addValue("normalizerId", normalizerId);
        }
        if (rawId != null) {
            sql.append(" and nm.raw_file_id = :rawId");
            params.addValue("rawId", rawId);
        }
        sql.append(" order by nm.started_at ").append(descending ? "desc nulls first" : "asc nulls last")
                .append(", nm.seq limit :limit offset :offset");
        params.addValue("limit", limit).addValue("offset", offset);
        List<NormalizerMeta> metas = jdbc.query(sql.toString(), params, (rs, n) -> new NormalizerMeta(
                rs.getObject("nm_id", UUID.class),
                VaultRows.instant(rs, "nm_started_at"),
                VaultRows.instant(rs, "nm_ended_at"),
                rows.storedRaw(rs).meta(),
                new NormalizerMeta.Normalizer(rs.getString("normalizer_id"), rs.getString("normalizer_version"))));
        return rows.withMimeTypes(metas, NormalizerMeta::rawData, (nm, raw) ->
                new NormalizerMeta(nm.id(), nm.startedAt(), nm.endedAt(), raw, nm.normalizer()));
    }
}
