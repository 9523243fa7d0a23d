package sn.wolo.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import sn.wolo.platform.events.DomainEvent;

import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The audit trail (5-year retention, append-only by trigger), written from the domains' events:
 * refunds, ID verifications, account erasures. A redelivered event is absorbed by the unique
 * event id in the row's metadata.
 */
final class AuditTrail {

  private static final String INSERT = """
      INSERT INTO admin.audit_logs (actor_user_id, actor_type, action, resource_type, resource_id, new_values, reason, metadata, "timestamp")
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT ((metadata ->> 'event_id')) WHERE (metadata ->> 'event_id') IS NOT NULL DO NOTHING""";

  private final Pool pool;

  AuditTrail(Pool pool) {
    this.pool = pool;
  }

  /** Records {@code e} as {@code action} on a resource; {@code actor} null means the system did it. */
  Future<Void> record(SqlConnection tx, DomainEvent e, String action, String resourceType, String resourceId, String actor, String reason) {
    return tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {actor == null ? null : UUID.fromString(actor),
            actor == null ? "system" : "user", action, resourceType, resourceId == null ? null : UUID.fromString(resourceId), e.payload(),
            reason, new JsonObject().put("event_id", e.eventId().toString()).put("event_type", e.type()),
            e.occurredAt().atOffset(ZoneOffset.UTC)}))
        .mapEmpty();
  }

  Future<JsonObject> read(String resourceType, String resourceId, int limit) {
    return pool.preparedQuery("""
            SELECT actor_user_id, actor_type, action, resource_type, resource_id, reason, new_values, "timestamp"
            FROM admin.audit_logs WHERE ($1::text IS NULL OR resource_type = $1) AND ($2::uuid IS NULL OR resource_id = $2)
            ORDER BY "timestamp" DESC LIMIT $3""")
        .execute(Tuple.of(resourceType, resourceId == null ? null : UUID.fromString(resourceId), limit)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject()
              .put("actor_user_id", r.getUUID("actor_user_id") == null ? null : r.getUUID("actor_user_id").toString())
              .put("actor_type", r.getString("actor_type")).put("action", r.getString("action"))
              .put("resource_type", r.getString("resource_type"))
              .put("resource_id", r.getUUID("resource_id") == null ? null : r.getUUID("resource_id").toString())
              .put("reason", r.getString("reason")).put("details", r.getValue("new_values"))
              .put("at", r.getOffsetDateTime("timestamp").toInstant().toString())));
          return new JsonObject().put("audit_logs", out);
        });
  }
}
