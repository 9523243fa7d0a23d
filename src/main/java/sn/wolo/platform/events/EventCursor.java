package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A consumer's place in the published outbox ({@code platform.event_cursors}, V29): the
 * {@code (relay_batch, id)} of the last event it is done with. The relay stamps each batch it
 * publishes with an increasing number, one relay at a time, so that pair orders published events
 * in the order they became visible — a reader after the cursor never skips an event that commits
 * later. Instances of a consumer take turns with a lease on the cursor row: the holder reads the
 * events after it, delivers them, and moves it in one update (which ends the lease); a holder that
 * died loses its lease after {@link EventSettings#leaseSeconds()} and the next one re-reads from the
 * same place (consumers dedupe).
 */
final class EventCursor {

  /** Read after the cursor: events of this consumer's types, and where the cursor may move once they are delivered. */
  record Page(List<Position> wanted, long lastBatch, long lastId) {
  }

  /** One event of this consumer's types, with its outbox id (a failed one becomes a retry row). */
  record Position(DomainEvent event, long outboxId) {
  }

  // The last event published: the latest of the types' heads (V32), which the relay moves in the
  // statement that numbers a batch.
  private static final String LAST_PUBLISHED =
      "SELECT relay_batch, outbox_id AS id FROM platform.outbox_type_heads ORDER BY relay_batch DESC, outbox_id DESC LIMIT 1";
  // A new consumer starts after the last event published so far, as a subscription started before.
  private static final String CREATE = """
      INSERT INTO platform.event_cursors (consumer, relay_batch, outbox_id)
      SELECT $1, COALESCE(h.relay_batch, 0), COALESCE(h.id, 0)
      FROM (SELECT 1) one LEFT JOIN LATERAL (%s) h ON true
      ON CONFLICT (consumer) DO NOTHING""".formatted(LAST_PUBLISHED);
  // Taken only when an event of the consumer's types is after the cursor (its types' heads, V32, kept
  // by the relay): an idle or uninterested consumer writes nothing, and reads a row per type. Also
  // returns the last event published, as this snapshot sees it.
  static final String LEASE = """
      UPDATE platform.event_cursors c SET lease_owner = $2, lease_until = now() + make_interval(secs => $3)
      FROM (%s) h
      WHERE c.consumer = $1 AND (c.lease_owner IS NULL OR c.lease_owner = $2 OR c.lease_until < now())
        AND EXISTS (SELECT 1 FROM platform.outbox_type_heads t WHERE t.event_type = ANY($4::varchar[])
                    AND (t.relay_batch, t.outbox_id) > (c.relay_batch, c.outbox_id))
      RETURNING c.relay_batch, c.outbox_id, h.relay_batch AS head_batch, h.id AS head_id""".formatted(LAST_PUBLISHED);
  // The first events after the cursor of each type (index only), merged in relay order, then read by
  // id: at most types × limit index entries, however many events of other types lie between (a
  // consumer of a rare type read every event published since its last one).
  static final String READ = """
      SELECT o.relay_batch, o.id, o.event_id, o.event_type, o.aggregate_type, o.aggregate_id, o.occurred_at, o.payload
      FROM platform.outbox o
      WHERE o.id = ANY (ARRAY(SELECT k.id FROM unnest($4::varchar[]) AS t(event_type)
                              CROSS JOIN LATERAL (SELECT relay_batch, id FROM platform.outbox WHERE event_type = t.event_type
                                                  AND relay_batch IS NOT NULL AND (relay_batch, id) > ($1, $2)
                                                  ORDER BY event_type, relay_batch, id LIMIT $3) k
                              ORDER BY k.relay_batch, k.id LIMIT $3))
      ORDER BY o.relay_batch, o.id""";
  private static final String MOVE = """
      UPDATE platform.event_cursors SET relay_batch = $3, outbox_id = $4, lease_owner = NULL, lease_until = NULL, moved_at = now()
      WHERE consumer = $1 AND lease_owner = $2""";
  private static final String RELEASE = "UPDATE platform.event_cursors SET lease_owner = NULL, lease_until = NULL WHERE consumer = $1 AND lease_owner = $2";

  private final Pool pool;
  private final String consumer;
  private final String[] types;
  private final int leaseSeconds;
  /** This instance of the consumer, as the lease holder. */
  private final UUID holder = UUID.randomUUID();

  EventCursor(Pool pool, String consumer, String[] types, int leaseSeconds) {
    this.pool = pool;
    this.consumer = consumer;
    this.types = types;
    this.leaseSeconds = leaseSeconds;
  }

  /** Creates the cursor if the consumer has none yet (in the transaction that records its subscription). */
  Future<Void> create(SqlClient tx) {
    return tx.preparedQuery(CREATE).execute(Tuple.of(consumer)).mapEmpty();
  }

  /**
   * Leases the cursor and reads up to {@code limit} events of this consumer's types after it; empty when
   * there is none or another instance holds the lease. A page read must be ended by {@link #moveTo} or {@link #release}.
   */
  Future<Optional<Page>> leaseAndRead(int limit) {
    return pool.preparedQuery(LEASE).execute(Tuple.of(consumer, holder, leaseSeconds, types)).compose(leased -> {
      if (leased.size() == 0) return Future.succeededFuture(Optional.empty());
      Row at = leased.iterator().next();
      return pool.preparedQuery(READ).execute(Tuple.of(at.getLong("relay_batch"), at.getLong("outbox_id"), limit, types))
          .map(rows -> Optional.of(page(rows, limit, at.getLong("head_batch"), at.getLong("head_id"))));
    });
  }

  /** Moves the cursor past the page and ends the lease; false when the lease was lost meanwhile (another instance re-reads). */
  Future<Boolean> moveTo(Page page) {
    return pool.preparedQuery(MOVE).execute(Tuple.of(consumer, holder, page.lastBatch(), page.lastId())).map(r -> r.rowCount() == 1);
  }

  /** Ends the lease without moving: the next read starts at the same place. */
  Future<Void> release() {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(consumer, holder)).mapEmpty();
  }

  /**
   * A full page ends at its last event. A short one holds every event of these types published up
   * to the head the lease saw (read before it, and batches become visible in order), so the cursor
   * may move to that head when it is further: past the other types' events, without reading them.
   */
  private static Page page(RowSet<Row> rows, int limit, long headBatch, long headId) {
    List<Position> wanted = new ArrayList<>(rows.size());
    long lastBatch = 0;
    long lastId = 0;
    for (Row r : rows) {
      lastBatch = r.getLong("relay_batch");
      lastId = r.getLong("id");
      wanted.add(new Position(Outbox.toEvent(r), lastId));
    }
    boolean headFurther = headBatch > lastBatch || (headBatch == lastBatch && headId > lastId);
    if (rows.size() < limit && headFurther) return new Page(wanted, headBatch, headId);
    return new Page(wanted, lastBatch, lastId);
  }
}
