package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.db.Columns;
import sn.wolo.platform.tracing.Tracing;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes domain events into {@code platform.outbox}. Call it with the transaction's connection that
 * makes the change: the event exists if and only if the change committed.
 */
public final class Outbox {

  private static final String INSERT = """
      INSERT INTO platform.outbox (event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at, traceparent)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  private Outbox() {
  }

  private static final String INSERT_MANY = """
      INSERT INTO platform.outbox (event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at, traceparent)
      SELECT *, $7::varchar FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::jsonb[], $6::timestamptz[])""";

  /** Many events in one statement: sweeps emit thousands per transaction. */
  public static Future<Void> appendAll(SqlClient tx, List<DomainEvent> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    return tx.preparedQuery(INSERT_MANY).execute(Tuple.of(Columns.of(events, UUID.class, DomainEvent::eventId),
            Columns.of(events, String.class, DomainEvent::type), Columns.of(events, String.class, DomainEvent::aggregateType),
            Columns.of(events, String.class, DomainEvent::aggregateId), Columns.of(events, JsonObject.class, DomainEvent::payload),
            Columns.of(events, OffsetDateTime.class, e -> e.occurredAt().atOffset(ZoneOffset.UTC)), Tracing.currentTraceparent()))
        .mapEmpty();
  }

  /** An outbox row (columns event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at) as an event. */
  static DomainEvent toEvent(Row r) {
    Object payload = r.getValue("payload");
    return new DomainEvent(r.getUUID("event_id"), r.getString("event_type"), r.getString("aggregate_type"),
        r.getString("aggregate_id"), payload instanceof JsonObject o ? o : new JsonObject(),
        r.get(OffsetDateTime.class, "occurred_at").toInstant());
  }

  public static Future<Void> append(SqlClient tx, DomainEvent e) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(e.eventId(), e.type(), e.aggregateType(), e.aggregateId(), e.payload(),
            e.occurredAt().atOffset(ZoneOffset.UTC), Tracing.currentTraceparent()))
        .mapEmpty();
  }
}
