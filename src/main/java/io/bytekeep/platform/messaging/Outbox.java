package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The table of events waiting for the broker (outbox_event, written by the features in the transaction of what the
 * event announces) and the lease that lets one instance at a time relay them.
 */
public class Outbox {

    /**
     * One event: {@code destination} is the queue it goes to, {@code id} its AMQP message id, {@code traceparent} the
     * trace context of the request that caused it (null without one), a header of its message.
     */
    public record Event(long seq, UUID id, String destination, String payload, String traceparent) {

        public Event(long seq, UUID id, String destination, String payload) {
            this(seq, id, destination, payload, null);
        }
    }

    private static final String LEASE = "outbox";

    /**
     * How a feature writes an event into the outbox, in the transaction of what the event announces; its parameters
     * are {@link #row}'s.
     */
    public static final String INSERT = "insert into outbox_event (id, destination, payload, traceparent, created_at, "
            + "relay_after) values (:id, :destination, :payload, :traceparent, :createdAt, :relayAfter)";

    /**
     * The parameters of {@link #INSERT} for one event; {@code relayAfter}: when the relay may send it (null: at once;
     * later for an event its writer publishes itself first).
     */
    public static MapSqlParameterSource row(Event event, Instant createdAt, Instant relayAfter) {
        return new MapSqlParameterSource().addValue("id", event.id()).addValue("destination", event.destination())
                .addValue("payload", event.payload()).addValue("traceparent", event.traceparent())
                .addValue("createdAt", utc(createdAt)).addValue("relayAfter", relayAfter == null ? null : utc(relayAfter));
    }

    /**
     * PostgreSQL's way to let a transaction's commit return before the disk has it (the embedded H2 honours it too,
     * see DurableCommitDataSource): for the marks that events were sent, whose loss in a crash sends the events once
     * more, as the relay promises anyway (at least once). Saves a forced write per publication.
     */
    private static final String COMMIT_WITHOUT_WAITING_FOR_THE_DISK = "SET LOCAL synchronous_commit TO OFF";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final boolean keepsSentEvents;

    /**
     * @param transactions    each mark runs in a transaction of its own (REQUIRES_NEW) from this manager: the commit
     *                        that does not wait for the disk must never be a caller's transaction too
     * @param keepsSentEvents whether a sent event stays, marked sent, until {@link #deleteSentBefore} removes it
     *                        ({@code bytekeep.events.keep-sent} above zero), or is deleted as soon as it is sent
     */
    public Outbox(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock, boolean keepsSentEvents) {
        this.jdbc = jdbc;
        TransactionTemplate ownTransactions = new TransactionTemplate(transactions);
        ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.transactions = ownTransactions;
        this.clock = clock;
        this.keepsSentEvents = keepsSentEvents;
    }

    /** Takes the relay lease, or renews it, for {@code ttl}; false while another holder's lease runs. */
    public boolean lease(String holder, Duration ttl) {
        Instant now = clock.instant();
        return jdbc.update("update outbox_relay_lease set holder = :holder, expires_at = :until "
                        + "where name = :name and (holder = :holder or holder is null or expires_at < :now)",
                new MapSqlParameterSource().addValue("holder", holder).addValue("until", utc(now.plus(ttl)))
                        .addValue("name", LEASE).addValue("now", utc(now))) == 1;
    }

    /** Gives the lease up, so another instance relays at once. */
    public void release(String holder) {
        jdbc.update("update outbox_relay_lease set holder = null where name = :name and holder = :holder",
                Map.of("name", LEASE, "holder", holder));
    }

    /** The waiting events the relay may send now (not those an upload is still publishing itself), oldest first. */
    public List<Event> pending(int limit) {
        return jdbc.query("select seq, id, destination, payload, traceparent from outbox_event where sent_at is null "
                        + "and (relay_after is null or relay_after <= :now) order by seq limit :limit",
                new MapSqlParameterSource().addValue("limit", limit).addValue("now", utc(clock.instant())),
                (rs, n) -> new Event(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getString("destination"),
                        rs.getString("payload"), rs.getString("traceparent")));
    }

    /** Marks events sent by their ids (events their writer published itself), or deletes them (see the constructor). */
    public void markSentByIds(Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            lossTolerant(sent("id in (:ids)"), new MapSqlParameterSource().addValue("now", utc(clock.instant())).addValue("ids", ids));
        }
    }

    /** Gives events their writer could not publish to the relay at once. */
    public void handOverToRelay(Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            lossTolerant("update outbox_event set relay_after = null where id in (:ids) and sent_at is null",
                    new MapSqlParameterSource("ids", ids));
        }
    }

    /** Marks events sent by their sequence numbers (events the relay published), or deletes them. */
    public void markSent(Collection<Long> seqs) {
        if (!seqs.isEmpty()) {
            lossTolerant(sent("seq in (:seqs)"), new MapSqlParameterSource().addValue("now", utc(clock.instant())).addValue("seqs", seqs));
        }
    }

    /**
     * The statement for events just sent: a mark, or their deletion, which leaves the table with only the events
     * still on their way (an event's row is written once and removed once; a kept one is also rewritten by the mark, in
     * the table and in its index on sent_at, and stays in the database's pages until the purge).
     */
    private String sent(String which) {
        return keepsSentEvents ? "update outbox_event set sent_at = :now where " + which
                : "delete from outbox_event where " + which;
    }

    /** A change whose loss in a crash only means that events are sent, or handed to the relay, once more. */
    private void lossTolerant(String sql, MapSqlParameterSource parameters) {
        transactions.executeWithoutResult(status -> {
            jdbc.getJdbcTemplate().execute(COMMIT_WITHOUT_WAITING_FOR_THE_DISK);
            jdbc.update(sql, parameters);
        });
    }

    public long pendingCount() {
        Long count = jdbc.getJdbcTemplate().queryForObject("select count(*) from outbox_event where sent_at is null", Long.class);
        return count == null ? 0 : count;
    }

    /**
     * Deletes up to {@code limit} events sent before {@code cutoff}, oldest first; returns how many. Their keys are read
     * first and deleted one by one in a batch: as one {@code delete … where seq in (select …)} the embedded H2 took
     * about 1.5 ms of CPU per event deleted beside a full upload load, half the uploads' throughput
     * (bench/results/vault-2026-12-07-outbox-keep-sent-ab.md).
     */
    public int deleteSentBefore(Instant cutoff, int limit) {
        List<Long> seqs = jdbc.queryForList("select seq from outbox_event where sent_at < :cutoff order by sent_at, seq limit :limit",
                new MapSqlParameterSource().addValue("cutoff", utc(cutoff)).addValue("limit", limit), Long.class);
        if (seqs.isEmpty()) {
            return 0;
        }
        return transactions.execute(status -> Arrays.stream(jdbc.batchUpdate("delete from outbox_event where seq = :seq",
                seqs.stream().map(seq -> new MapSqlParameterSource("seq", seq)).toArray(SqlParameterSource[]::new)))
                .filter(deleted -> deleted > 0).sum());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
