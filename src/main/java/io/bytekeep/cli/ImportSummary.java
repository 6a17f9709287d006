package io.bytekeep.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code bytekeep import-bytes} did, counted per kind (boefje_meta, raw_file, normalizer_meta): how many Bytes
 * has, how many were created now and how many were present from an earlier run, and every item that was not moved
 * with the reason (its status). Thread-safe: raw files are counted from several threads.
 */
final class ImportSummary {

    static final String BOEFJE_META = "boefje_meta";
    static final String RAW_FILE = "raw_file";
    static final String NORMALIZER_META = "normalizer_meta";

    /** Problems listed one by one; beyond this they are only counted. */
    static final int MAX_LISTED_PROBLEMS = 10_000;

    record Problem(String kind, UUID id, String status, String detail) {
    }

    private static final class Tally {
        final AtomicLong total = new AtomicLong();
        final AtomicLong created = new AtomicLong();
        final AtomicLong present = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("total", total.get());
            map.put("created", created.get());
            map.put("present", present.get());
            map.put("not_moved", failed.get());
            return map;
        }
    }

    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final AtomicLong bytesCreated = new AtomicLong();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Long> problemCounts = new TreeMap<>();
    private final boolean eventsPublished;

    ImportSummary(boolean eventsPublished) {
        this.eventsPublished = eventsPublished;
        for (String kind : List.of(BOEFJE_META, RAW_FILE, NORMALIZER_META)) {
            tallies.put(kind, new Tally());
        }
    }

    void total(String kind, long total) {
        tallies.get(kind).total.set(total);
    }

    void created(String kind) {
        tallies.get(kind).created.incrementAndGet();
    }

    void createdBytes(long bytes) {
        bytesCreated.addAndGet(bytes);
    }

    void present(String kind) {
        tallies.get(kind).present.incrementAndGet();
    }

    synchronized void problem(String kind, UUID id, String status, String detail) {
        tallies.get(kind).failed.incrementAndGet();
        problemCounts.merge(status, 1L, Long::sum);
        if (problems.size() < MAX_LISTED_PROBLEMS) {
            problems.add(new Problem(kind, id, status, detail));
        }
    }

    synchronized boolean hasProblems() {
        return !problemCounts.isEmpty();
    }

    synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    synchronized Map<String, Object> toMap(double seconds) {
        Map<String, Object> map = new LinkedHashMap<>();
        tallies.forEach((kind, tally) -> map.put(kind, tally.toMap()));
        map.put("bytes_created", bytesCreated.get());
        map.put("events_published", eventsPublished);
        map.put("seconds", Math.round(seconds * 1000) / 1000.0);
        map.put("problem_counts", new TreeMap<>(problemCounts));
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Problem problem : problems) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", problem.kind());
            entry.put("id", problem.id().toString());
            entry.put("status", problem.status());
            entry.put("detail", problem.detail());
            listed.add(entry);
        }
        map.put("problems", listed);
        map.put("problems_listed_all", problems.size() == problemCounts.values().stream().mapToLong(Long::longValue).sum());
        return map;
    }
}
