package io.bytekeep.platform.storage;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a {@link ResumableListing} goes on: a prefix and the last key listed under it (null: from the prefix's start).
 * Kept in the table listing_position under a name, so a listing that takes many walks to go round its bucket finishes
 * that round across restarts, and instances sweeping the same bucket share it (each goes on where the last walk of any
 * of them stopped).
 */
public final class ListingPosition {

    /** A place in a listing: under {@code prefix}, after {@code after} (null: from the start of the prefix). */
    public record Place(String prefix, String after) {
    }

    private final JdbcTemplate jdbc;
    private final String name;
    private final Clock clock;

    public ListingPosition(JdbcTemplate jdbc, String name, Clock clock) {
        this.jdbc = jdbc;
        this.name = name;
        this.clock = clock;
    }

    /** The place saved last; null when there is none. */
    public Place load() {
        List<Place> saved = jdbc.query("select prefix, after_key from listing_position where name = ?",
                (rs, row) -> new Place(rs.getString("prefix"), rs.getString("after_key")), name);
        return saved.isEmpty() ? null : saved.get(0);
    }

    public void save(Place place) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        if (jdbc.update("update listing_position set prefix = ?, after_key = ?, updated_at = ? where name = ?",
                place.prefix(), place.after(), now, name) == 0) {
            // the first save; when another instance's first save comes in between, its place stands (as good as this)
            jdbc.update("insert into listing_position (name, prefix, after_key, updated_at) values (?, ?, ?, ?) "
                    + "on conflict do nothing", name, place.prefix(), place.after(), now);
        }
    }
}
