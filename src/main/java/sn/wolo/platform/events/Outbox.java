package sn.wolo.platform.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;

/**
 * Writes domain events into {@code platform.outbox}. Call it with the transaction's connection that
 * makes the change: the event exists if and only if the change committed.
 */
public final class Outbox {

  private static final String INSERT = """
      INSERT INTO platform.outbox (event_id, event_type, aggregate_type, aggregate_id, payload, occurred_at)
      VALUES ($1, $2, $3, $4, $5, $6)""";

  private Outbox() {
  }

  public static Future<Void> append(SqlClient tx, DomainEvent e) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(e.eventId(), e.type(), e.aggregateType(), e.aggregateId(), e.payload(),
            e.occurredAt().atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }
}
