package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** What admins see of the durable deliveries: the backlog per consumer (retries and events after its cursor), the parked ones, and "retry this one". */
public final class EventDeliveries {

  private static final String BACKLOG = """
      SELECT consumer, count(*) FILTER (WHERE parked_at IS NULL) AS pending, count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked,
             min(waiting_since) FILTER (WHERE parked_at IS NULL) AS oldest_pending
      FROM platform.undelivered_events GROUP BY consumer ORDER BY consumer""";
  private static final String PARKED = """
      SELECT d.consumer, d.event_id, o.event_type, o.aggregate_id, d.attempts, d.last_error, d.parked_at
      FROM platform.event_deliveries d JOIN platform.outbox o ON o.event_id = d.event_id
      WHERE d.parked_at IS NOT NULL ORDER BY d.parked_at DESC LIMIT $1""";
  private static final String RETRY = """
      UPDATE platform.event_deliveries SET parked_at = NULL, attempts = 0, next_attempt_at = now()
      WHERE consumer = $1 AND event_id = $2 AND parked_at IS NOT NULL""";

  private EventDeliveries() {
  }

  public static Future<JsonObject> overview(Pool pool, int limit) {
    return pool.query(BACKLOG).execute().compose(backlog -> pool.preparedQuery(PARKED).execute(Tuple.of(limit)).map(parked -> {
      JsonArray consumers = new JsonArray();
      backlog.forEach(r -> consumers.add(new JsonObject().put("consumer", r.getString("consumer"))
          .put("pending", r.getLong("pending")).put("parked", r.getLong("parked"))
          .put("oldest_pending_at", r.getOffsetDateTime("oldest_pending") == null ? null : r.getOffsetDateTime("oldest_pending").toInstant().toString())));
      JsonArray items = new JsonArray();
      parked.forEach(r -> items.add(new JsonObject().put("consumer", r.getString("consumer"))
          .put("event_id", r.getUUID("event_id").toString()).put("event_type", r.getString("event_type"))
          .put("aggregate_id", r.getString("aggregate_id")).put("attempts", r.getInteger("attempts"))
          .put("last_error", r.getString("last_error")).put("parked_at", r.getOffsetDateTime("parked_at").toInstant().toString())));
      return new JsonObject().put("consumers", consumers).put("parked", items);
    }));
  }

  /** True when a parked delivery was put back in the queue. */
  public static Future<Boolean> retry(Pool pool, String consumer, UUID eventId) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(consumer, eventId)).map(r -> r.rowCount() == 1);
  }
}
