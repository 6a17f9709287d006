package io.bytekeep.distribution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code diagnosis_key} table. A submission is stored in one transaction; a key whose key data is already
 * stored is left as it is ({@code on conflict do nothing}), so submitting again changes nothing.
 */
public class DiagnosisKeyStore {

    /** A stored key with the consent to federation of the submission it came with. */
    public record StoredKey(DiagnosisKey key, boolean consentToFederation) {
    }

    /**
     * What tells the keys of a window apart: how many there are and the sum of their storage order. Keys are only
     * inserted (each with a new, larger number) and deleted by retention, so another set of keys has another state.
     */
    public record WindowState(long count, long seqSum) {
    }

    private static final String COLUMNS = "key_data, rolling_start_interval_number, rolling_period, transmission_risk_level, "
            + "report_type, days_since_onset_of_symptoms, origin_country, visited_countries, submission_timestamp, "
            + "consent_to_federation";

    private static final String KEYS_SINCE = "select " + COLUMNS + " from diagnosis_key where submission_timestamp >= :from";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public DiagnosisKeyStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Stores the keys not stored before, all in one transaction; answers when it has committed. */
    public SubmissionReceipt storeNew(Submission submission) {
        MapSqlParameterSource[] rows = submission.keys().stream().map(key -> new MapSqlParameterSource()
                .addValue("keyData", key.keyData())
                .addValue("rollingStart", key.rollingStartIntervalNumber())
                .addValue("rollingPeriod", key.rollingPeriod())
                .addValue("risk", key.transmissionRiskLevel())
                .addValue("reportType", key.reportType().name())
                .addValue("daysSinceOnset", key.daysSinceOnsetOfSymptoms())
                .addValue("origin", key.originCountry())
                .addValue("visited", String.join(",", new TreeSet<>(key.visitedCountries())))
                .addValue("submitted", key.submissionTimestamp())
                .addValue("consent", submission.consentToFederation())).toArray(MapSqlParameterSource[]::new);
        // one JDBC batch in one transaction; each row counts 1 if inserted, 0 if its key data was stored before
        Integer stored = transactions.execute(status -> java.util.Arrays.stream(jdbc.batchUpdate(
                "insert into diagnosis_key (" + COLUMNS + ") values (:keyData, :rollingStart, :rollingPeriod, :risk, "
                        + ":reportType, :daysSinceOnset, :origin, :visited, :submitted, :consent) on conflict do nothing",
                rows)).map(count -> Math.max(count, 0)).sum());
        return new SubmissionReceipt(submission.keys().size(), stored == null ? 0 : stored);
    }

    /** Keys submitted in or after the given hour since the epoch, in no particular order (exports sort their keys). */
    public List<StoredKey> submittedSince(long fromHour) {
        Countries countries = new Countries();
        return jdbc.query(KEYS_SINCE, Map.of("from", fromHour), (rs, n) -> storedKey(rs, countries));
    }

    /** The state of the window of keys submitted in or after the given hour. */
    public WindowState stateSince(long fromHour) {
        return jdbc.queryForObject("select count(*) as n, coalesce(sum(seq), 0) as s from diagnosis_key"
                + " where submission_timestamp >= :from", Map.of("from", fromHour),
                (rs, n) -> new WindowState(rs.getLong("n"), rs.getLong("s")));
    }

    /**
     * The keys submitted in the given hours since the epoch, {@code fromHour} included, {@code toHour} not (one
     * date of a distribution run: a range of the index on the submission hour).
     */
    public List<DiagnosisKey> submittedBetween(long fromHour, long toHour) {
        Countries countries = new Countries();
        return jdbc.query(KEYS_SINCE + " and submission_timestamp < :to", Map.of("from", fromHour, "to", toHour),
                (rs, n) -> key(rs, countries));
    }

    /** The submission hours (since the epoch) in or after the given one that have keys, ascending. */
    public List<Long> hoursWithKeysSince(long fromHour) {
        return jdbc.queryForList("select distinct submission_timestamp from diagnosis_key where submission_timestamp >= :from"
                + " order by submission_timestamp", Map.of("from", fromHour), Long.class);
    }

    /** Retention: deletes the keys submitted before the given hour since the epoch; answers how many. */
    public int deleteSubmittedBefore(long hour) {
        return jdbc.update("delete from diagnosis_key where submission_timestamp < :before", Map.of("before", hour));
    }

    public long count() {
        Long count = jdbc.getJdbcTemplate().queryForObject("select count(*) from diagnosis_key", Long.class);
        return count == null ? 0 : count;
    }

    private static StoredKey storedKey(ResultSet rs, Countries countries) throws SQLException {
        return new StoredKey(key(rs, countries), rs.getBoolean("consent_to_federation"));
    }

    private static DiagnosisKey key(ResultSet rs, Countries countries) throws SQLException {
        return new DiagnosisKey(rs.getBytes("key_data"), rs.getInt("rolling_start_interval_number"),
                rs.getInt("rolling_period"), rs.getInt("transmission_risk_level"),
                ReportType.valueOf(rs.getString("report_type")), rs.getInt("days_since_onset_of_symptoms"),
                countries.origin(rs.getString("origin_country")), countries.visited(rs.getString("visited_countries")),
                rs.getLong("submission_timestamp"));
    }

    /**
     * One instance per distinct country code and visited-countries list of a query: a run loads millions of keys
     * with a handful of distinct values, which would otherwise each keep their own String and Set.
     */
    private static final class Countries {
        private final Map<String, String> origins = new HashMap<>();
        private final Map<String, Set<String>> visited = new HashMap<>();

        String origin(String code) {
            return origins.computeIfAbsent(code, c -> c);
        }

        Set<String> visited(String list) {
            return visited.computeIfAbsent(list, l -> l.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(l.split(","))));
        }
    }
}
